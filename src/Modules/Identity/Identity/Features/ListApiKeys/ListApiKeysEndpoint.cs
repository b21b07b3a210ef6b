using System.Security.Claims;
using Identity.Contracts;
using Identity.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Shared.Data;
using Shared.Http;
using Shared.Validation;

namespace Identity.Features.ListApiKeys;

internal static class ListApiKeysEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/api-keys", Handle)
            .RequireAuthorization(AccessPolicies.Admin)
            .WithSummary("List the tenant's API keys, without their secrets")
            .WithName("listApiKeys")
            .WithDescription("Admins only. Each key's name, scopes, prefix and when it was made, last used and revoked; never the secret.")
            .ProducesProblem(StatusCodes.Status403Forbidden);

    private static async Task<Results<Ok<Page<ApiKeyResponse>>, ValidationProblem>> Handle(
        int? limit, string? cursor, ClaimsPrincipal principal, IdentityDbContext db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (PageRequest.Parse(limit, cursor, errors) is not { } page)
        {
            return errors.ToProblem();
        }
        var tenantId = TenantMember.From(principal).TenantId;
        return TypedResults.Ok(await db.ApiKeys.AsNoTracking().Where(k => k.TenantId == tenantId)
            .ToPageAsync(page, k => new ApiKeyResponse(k.Id, k.Name, k.Role, k.CreatedAt, k.RevokedAt), cancellationToken));
    }
}

internal sealed record ApiKeyResponse(Guid Id, string Name, MemberRole Role, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);
