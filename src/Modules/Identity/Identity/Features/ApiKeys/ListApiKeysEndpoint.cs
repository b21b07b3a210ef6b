using System.Security.Claims;
using Identity.Contracts;
using Identity.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Shared.Http;
using Shared.Validation;

namespace Identity.Features.ApiKeys;

internal static class ListApiKeysEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/api-keys", Handle)
            .RequireAuthorization(AccessPolicies.Admin)
            .WithSummary("List the tenant's API keys, without their secrets")
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
        var query = db.ApiKeys.AsNoTracking().Where(k => k.TenantId == tenantId);
        if (page.After is { } after)
        {
            query = query.Where(k => k.Id.CompareTo(after) < 0);
        }
        var rows = await query
            .OrderByDescending(k => k.Id)
            .Take(page.Limit + 1)
            .Select(k => new ApiKeyResponse(k.Id, k.Name, k.Role, k.CreatedAt, k.RevokedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(page.ToPage(rows, k => k.Id));
    }
}
