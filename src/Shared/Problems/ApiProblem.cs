using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Shared.Problems;

/// <summary>Builds RFC 9457 problem results that always carry the API's <c>code</c> extension.</summary>
public static class ApiProblem
{
    public const string CodeKey = "code";

    public static ProblemHttpResult Create(int status, string code, string title, string? detail = null) =>
        TypedResults.Problem(
            statusCode: status,
            title: title,
            detail: detail,
            extensions: new Dictionary<string, object?> { [CodeKey] = code });

    public static ProblemHttpResult NotFound(string what) =>
        Create(StatusCodes.Status404NotFound, ProblemCodes.NotFound, "Not found", $"{what} was not found.");

    public static ProblemHttpResult Conflict(string code, string detail) =>
        Create(StatusCodes.Status409Conflict, code, "Conflict", detail);

    public static ProblemHttpResult Forbidden(string detail) =>
        Create(StatusCodes.Status403Forbidden, ProblemCodes.Forbidden, "Forbidden", detail);

    public static ProblemHttpResult PreconditionFailed() =>
        Create(StatusCodes.Status412PreconditionFailed, ProblemCodes.PreconditionFailed, "Precondition failed",
            "The resource has changed since the entity tag in If-Match was issued.");

    public static ValidationProblem Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(
            errors,
            title: "The request is not valid",
            extensions: new Dictionary<string, object?> { [CodeKey] = ProblemCodes.ValidationFailed });
}
