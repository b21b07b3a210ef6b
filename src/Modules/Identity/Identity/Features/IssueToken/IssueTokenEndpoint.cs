using Identity.Auth;
using Identity.Data;
using Identity.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Shared.OpenApi;
using Shared.Problems;
using Shared.Validation;

namespace Identity.Features.IssueToken;

internal static class IssueTokenEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/api/auth/token", Handle)
            .AllowAnonymous()
            .WithSummary("Log in with a password")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithRequestExample(new IssueTokenRequest("daily-news", "editor@daily-news.example", "correct horse battery staple"));

    private static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        IssueTokenRequest request, IdentityDbContext db, Passwords passwords, TokenPairs tokens, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.RequireText("tenant", request.Tenant, 40);
        errors.RequireText("email", request.Email, Member.EmailMaxLength);
        errors.RequireText("password", request.Password, Member.PasswordMaxLength);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var email = Member.NormalizeEmail(request.Email!);
        var found = await db.Members
            .Join(db.Tenants, m => m.TenantId, t => t.Id, (member, tenant) => new { member, tenant })
            .SingleOrDefaultAsync(x => x.tenant.Slug == request.Tenant && x.member.Email == email, cancellationToken);
        if (!passwords.Verify(found?.member, request.Password!))
        {
            // One answer for an unknown tenant, an unknown email and a wrong password.
            return ApiProblem.Create(StatusCodes.Status401Unauthorized, ProblemCodes.InvalidCredentials,
                "Invalid credentials", "The tenant, email or password is wrong.");
        }
        return TypedResults.Ok(await tokens.IssueAsync(found!.member, found.tenant, null, cancellationToken));
    }
}
