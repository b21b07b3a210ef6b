using Identity.Auth;
using System.Security.Claims;
using Identity.Contracts;
using Identity.Data;
using Identity.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Shared.OpenApi;

namespace Identity.Features.CreateApiKey;

internal static class CreateApiKeyEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/api-keys", Handle)
            .RequireAuthorization(AccessPolicies.Admin)
            .WithSummary("Create an API key (the key is shown once)")
            .WithName("createApiKey")
            .SendsLocation()
            .WithDescription("Admins only. The answer carries the key's secret, which is stored only as a hash and never shown again; send it as X-Api-Key.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithRequestExample(new CreateApiKeyRequest("newsroom CMS", MemberRole.Editor));

    private static async Task<Results<Created<CreatedApiKeyResponse>, ValidationProblem>> Handle(
        CreateApiKeyRequest request, ClaimsPrincipal principal, IdentityDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = CreateApiKeyValidator.Validate(request);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var tenantId = TenantMember.From(principal).TenantId;
        var secret = Secret.Generate(ApiKeyAuthenticationHandler.KeyPrefix, tenantId);
        var key = ApiKey.Issue(tenantId, request.Name!, request.Role!.Value, Secret.Hash(secret), clock.GetUtcNow());
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/api-keys/{key.Id}", new CreatedApiKeyResponse(key.Id, secret, key.Name, key.Role, key.CreatedAt));
    }
}
