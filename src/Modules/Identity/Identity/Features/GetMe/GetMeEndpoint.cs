using System.Security.Claims;
using Identity.Auth;
using Identity.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Shared.Problems;

namespace Identity.Features.GetMe;

internal sealed record MeResponse(Guid UserId, string Email, string Role, Guid TenantId, string TenantSlug);

internal static class GetMeEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/me", Handle)
            .RequireAuthorization(AccessPolicies.Member)
            .WithSummary("Who the access token belongs to")
            .WithName("getMe")
            .WithDescription("The caller's user (or API key), tenant and role, as the credentials say.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

    private static Results<Ok<MeResponse>, ProblemHttpResult> Handle(ClaimsPrincipal principal)
    {
        var member = TenantMember.From(principal);
        if (member.UserId is not { } userId)
        {
            return ApiProblem.Forbidden("This route describes a person; an API key has none.");
        }
        return TypedResults.Ok(new MeResponse(
            userId, principal.FindFirstValue(IdentityClaims.Email) ?? "", RoleNames.Of(member.Role), member.TenantId, member.TenantSlug));
    }
}
