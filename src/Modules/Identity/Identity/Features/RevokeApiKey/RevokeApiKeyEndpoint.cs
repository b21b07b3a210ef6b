using Identity.Auth;
using System.Security.Claims;
using Identity.Contracts;
using Identity.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using Shared.Http;
using Shared.Problems;

namespace Identity.Features.RevokeApiKey;

internal static class RevokeApiKeyEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapDelete("/api-keys/{id}", Handle)
            .RequireAuthorization(AccessPolicies.Admin)
            .WithSummary("Revoke an API key; it stops working at once")
            .WithName("revokeApiKey")
            .WithDescription("Admins only. Requests with the key fail from the moment this answers, on every instance; revoking it again is 204 too.")
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<Results<NoContent, ProblemHttpResult>> Handle(
        string id, ClaimsPrincipal principal, IdentityDbContext db, HybridCache cache, TimeProvider clock, CancellationToken cancellationToken)
    {
        var tenantId = TenantMember.From(principal).TenantId;
        var key = RouteId.TryParse(id, out var keyId)
            ? await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId && k.TenantId == tenantId, cancellationToken)
            : null;
        if (key is null)
        {
            return ApiProblem.NotFound("The API key");
        }
        key.Revoke(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        // Committed: now every instance forgets the key, lookups in flight included.
        await cache.RemoveByTagAsync(ApiKeyLookup.TagOf(key.KeyHash), CancellationToken.None);
        return TypedResults.NoContent();
    }
}
