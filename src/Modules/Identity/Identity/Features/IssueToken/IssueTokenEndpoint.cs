using Identity.Auth;
using Identity.Data;
using Identity.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shared.OpenApi;
using Shared.Problems;
using Shared.RateLimiting;
using Shared.Tenancy;

namespace Identity.Features.IssueToken;

internal static class IssueTokenEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/auth/token", Handle)
            .AllowAnonymous()
            .RequireRateLimiting(RateLimitPolicies.Credentials)
            .WithSummary("Log in with a password")
            .WithName("issueToken")
            .WithDescription("Tenant slug, email and password in; a short-lived access token (Bearer) and a rotating refresh token out. Wrong credentials are 401 invalid_credentials, whichever part was wrong.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithRequestExample(new IssueTokenRequest("daily-news", "editor@daily-news.example", "correct horse battery staple"));

    private static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        IssueTokenRequest request, TenantDirectory directory, TenantScope scope, IServiceProvider services, Passwords passwords,
        CancellationToken cancellationToken)
    {
        var errors = IssueTokenValidator.Validate(request);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var email = Member.NormalizeEmail(request.Email!);
        var placement = await directory.FindBySlugAsync(request.Tenant!, cancellationToken);
        var found = placement is null ? null : await FindMemberAsync(placement, email, scope, services, cancellationToken);
        if (!passwords.Verify(found?.member, request.Password!) || found is not { } match)
        {
            // One answer for an unknown tenant, an unknown email and a wrong password.
            return ApiProblem.Create(StatusCodes.Status401Unauthorized, ProblemCodes.InvalidCredentials,
                "Invalid credentials", "The tenant, email or password is wrong.");
        }
        return TypedResults.Ok(await services.GetRequiredService<TokenPairs>().IssueAsync(match.member, match.tenant, null, cancellationToken));
    }

    private static async Task<(Member member, Tenant tenant)?> FindMemberAsync(
        TenantPlacement placement, string email, TenantScope scope, IServiceProvider services, CancellationToken cancellationToken)
    {
        // The slug found the tenant's shard; the context is resolved only once the scope is bound to it.
        scope.Enter(placement);
        var db = services.GetRequiredService<IdentityDbContext>();
        var found = await db.Members
            .Join(db.Tenants, m => m.TenantId, t => t.Id, (member, tenant) => new { member, tenant })
            .SingleOrDefaultAsync(x => x.tenant.Id == placement.TenantId && x.member.Email == email, cancellationToken);
        return found is null ? null : (found.member, found.tenant);
    }
}
