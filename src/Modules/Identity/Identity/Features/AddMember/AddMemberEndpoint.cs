using System.Security.Claims;
using Identity.Auth;
using Identity.Contracts;
using Identity.Data;
using Identity.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Shared.Data;
using Shared.Idempotency;
using Shared.OpenApi;
using Shared.Problems;

namespace Identity.Features.AddMember;

internal static class AddMemberEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/users", Handle)
            .RequireAuthorization(AccessPolicies.Admin)
            .AcceptsIdempotencyKey()
            .WithSummary("Add a member to the tenant")
            .WithName("addMember")
            .WithDescription("Admins only. The member logs in with the given password; an email already in the tenant is 409 email_taken.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(new AddMemberRequest("reporter@daily-news.example", "another long passphrase", MemberRole.Editor));

    private static async Task<Results<Created<MemberResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        AddMemberRequest request, ClaimsPrincipal principal, IdentityDbContext db, Passwords passwords, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var errors = AddMemberValidator.Validate(request);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var tenantId = TenantMember.From(principal).TenantId;
        var member = Member.Join(tenantId, request.Email!, request.Role!.Value, clock.GetUtcNow());
        passwords.Set(member, request.Password!);
        db.Members.Add(member);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation(IdentityDbContext.Constraints.MemberEmail))
        {
            return ApiProblem.Conflict(ProblemCodes.EmailTaken, $"A member with the email '{member.Email}' exists.");
        }
        return TypedResults.Created((string?)null, new MemberResponse(member.Id, member.Email, member.Role, member.CreatedAt));
    }
}
