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

namespace Identity.Features.Members;

internal static class ListMembersEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/users", Handle)
            .RequireAuthorization(AccessPolicies.Admin)
            .WithSummary("List the tenant's members, newest first")
            .ProducesProblem(StatusCodes.Status403Forbidden);

    private static async Task<Results<Ok<Page<MemberResponse>>, ValidationProblem>> Handle(
        int? limit, string? cursor, ClaimsPrincipal principal, IdentityDbContext db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (PageRequest.Parse(limit, cursor, errors) is not { } page)
        {
            return errors.ToProblem();
        }
        var tenantId = TenantMember.From(principal).TenantId;
        var query = db.Members.AsNoTracking().Where(m => m.TenantId == tenantId);
        if (page.After is { } after)
        {
            query = query.Where(m => m.Id.CompareTo(after) < 0);
        }
        var rows = await query
            .OrderByDescending(m => m.Id)
            .Take(page.Limit + 1)
            .Select(m => new MemberResponse(m.Id, m.Email, m.Role, m.CreatedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(page.ToPage(rows, m => m.UserId));
    }
}
