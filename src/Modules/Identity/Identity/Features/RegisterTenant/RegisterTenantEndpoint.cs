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

namespace Identity.Features.RegisterTenant;

internal static class RegisterTenantEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/api/tenants", Handle)
            .AllowAnonymous()
            .AcceptsIdempotencyKey()
            .WithSummary("Create a tenant and its first admin")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(new RegisterTenantRequest("Daily News", "daily-news", "editor@daily-news.example", "correct horse battery staple"));

    private static async Task<Results<Created<RegisterTenantResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        RegisterTenantRequest request, IdentityDbContext db, Passwords passwords, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = RegisterTenantValidator.Validate(request);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var now = clock.GetUtcNow();
        var tenant = Tenant.Register(request.Name!, request.Slug!, now);
        var admin = Member.Join(tenant.Id, request.AdminEmail!, MemberRole.Admin, now);
        passwords.Set(admin, request.AdminPassword!);
        db.Tenants.Add(tenant);
        db.Members.Add(admin);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation(IdentityDbContext.Constraints.TenantSlug))
        {
            return ApiProblem.Conflict(ProblemCodes.SlugTaken, $"The slug '{tenant.Slug}' is taken.");
        }
        return TypedResults.Created((string?)null, new RegisterTenantResponse(tenant.Id, tenant.Slug));
    }
}
