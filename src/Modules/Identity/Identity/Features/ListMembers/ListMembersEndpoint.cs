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

namespace Identity.Features.ListMembers;

internal static class ListMembersEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/users", Handle)
            .RequireAuthorization(AccessPolicies.Admin)
            .WithSummary("List the tenant's members, newest first")
            .WithName("listMembers")
            .WithDescription("Admins only. Keyset-paginated with limit and the nextCursor of the previous page.")
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
        return TypedResults.Ok(await db.Members.AsNoTracking().Where(m => m.TenantId == tenantId)
            .ToPageAsync(page, m => new MemberResponse(m.Id, m.Email, m.Role, m.CreatedAt), cancellationToken));
    }
}
