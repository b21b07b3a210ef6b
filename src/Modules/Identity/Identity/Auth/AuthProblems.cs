using Microsoft.AspNetCore.Http;
using Shared.Problems;

namespace Identity.Auth;

/// <summary>The 401 and 403 bodies every authentication scheme answers with.</summary>
internal static class AuthProblems
{
    public static ValueTask Unauthorized(HttpContext context) =>
        ProblemWriter.WriteAsync(context, StatusCodes.Status401Unauthorized, ProblemCodes.InvalidToken, "Unauthorized",
            "Valid credentials are required: a bearer access token or an X-Api-Key.");

    public static ValueTask Forbidden(HttpContext context) =>
        ProblemWriter.WriteAsync(context, StatusCodes.Status403Forbidden, ProblemCodes.Forbidden, "Forbidden",
            "Your role does not allow this.");
}
