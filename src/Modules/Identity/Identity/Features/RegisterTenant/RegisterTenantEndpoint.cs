using Identity.Auth;
using Identity.Contracts;
using Identity.Data;
using Identity.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Shared.Idempotency;
using Shared.OpenApi;
using Shared.Problems;
using Shared.RateLimiting;
using Shared.Tenancy;

namespace Identity.Features.RegisterTenant;

internal static class RegisterTenantEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/tenants", Handle)
            .AllowAnonymous()
            .RequireRateLimiting(RateLimitPolicies.Credentials)
            .AcceptsIdempotencyKey()
            .WithSummary("Create a tenant and its first admin")
            .WithName("createTenant")
            .WithDescription("Public sign-up: claims the slug (409 slug_taken when it is taken) and makes the first admin with the given password; log in with POST /api/auth/token afterwards.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(new RegisterTenantRequest("Daily News", "daily-news", "editor@daily-news.example", "correct horse battery staple"));

    private static async Task<Results<Created<RegisterTenantResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        RegisterTenantRequest request, TenantDirectory directory, TenantScope scope, IServiceProvider services, Passwords passwords, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var errors = RegisterTenantValidator.Validate(request);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var now = clock.GetUtcNow();
        var tenant = Tenant.Register(request.Name!, request.Slug!, now);
        // The catalog claims the slug (it is unique across shards) and places the tenant on a shard.
        if (await directory.RegisterAsync(tenant.Id, tenant.Slug, now, cancellationToken) is not { } placement)
        {
            return ApiProblem.Conflict(ProblemCodes.SlugTaken, $"The slug '{tenant.Slug}' is taken.");
        }
        try
        {
            scope.Enter(placement);
            // Resolved only now: the context is bound to the shard the tenant was just placed on.
            var db = services.GetRequiredService<IdentityDbContext>();
            var admin = Member.Join(tenant.Id, request.AdminEmail!, MemberRole.Admin, now);
            passwords.Set(admin, request.AdminPassword!);
            db.Tenants.Add(tenant);
            db.Members.Add(admin);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch
        {
            // Nothing of the tenant was stored on its shard: free the slug again.
            await directory.UnregisterAsync(placement, CancellationToken.None);
            throw;
        }
        return TypedResults.Created((string?)null, new RegisterTenantResponse(tenant.Id, tenant.Slug));
    }
}
