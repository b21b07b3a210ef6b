using System.Security.Claims;
using Identity.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Shared.Problems;
using Webhooks.Data;

namespace Webhooks.Features.RotateSecret;

/// <param name="PreviousSecretValidUntil">Until then each delivery carries a signature under the previous secret too.</param>
internal sealed record RotatedSecretResponse(Guid Id, string Secret, DateTimeOffset PreviousSecretValidUntil);

internal static class RotateSecretEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/{id}/rotate-secret", Handle)
            .RequireAuthorization(AccessPolicies.Admin)
            .WithSummary("Give a webhook endpoint a new secret (shown once)")
            .WithName("rotateWebhookSecret")
            .WithDescription("Admins only. Deliveries are signed with the new secret at once and, for a grace period, with the previous one as well (two signatures in webhook-signature), so the receiver can switch without losing any.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<Results<Ok<RotatedSecretResponse>, ProblemHttpResult>> Handle(
        string id, ClaimsPrincipal principal, WebhooksDbContext db, IOptions<WebhookOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var endpoint = await db.Endpoints.FindForTenantAsync(TenantMember.From(principal).TenantId, id, cancellationToken);
        if (endpoint is null)
        {
            return ApiProblem.NotFound("The webhook endpoint");
        }
        endpoint.RotateSecret(options.Value.SecretRotationGrace, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new RotatedSecretResponse(endpoint.Id, endpoint.Secret, endpoint.PreviousSecretExpiresAt!.Value));
    }
}
