using System.Security.Claims;
using Identity.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Shared.Problems;
using Webhooks.Data;

namespace Webhooks.Features.EnableWebhook;

internal static class EnableWebhookEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/{id}/enable", Handle)
            .RequireAuthorization(AccessPolicies.Admin)
            .WithSummary("Enable a webhook endpoint again once its receiver is fixed")
            .WithName("enableWebhook")
            .WithDescription("Admins only. The endpoint gets the events that happen from now on, with its id, secret and history kept; what was cancelled when it was disabled is not sent. Enabling an enabled endpoint changes nothing.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<Results<Ok<WebhookView>, ProblemHttpResult>> Handle(
        string id, ClaimsPrincipal principal, WebhooksDbContext db, CancellationToken cancellationToken)
    {
        var endpoint = await db.Endpoints.FindForTenantAsync(TenantMember.From(principal).TenantId, id, cancellationToken);
        if (endpoint is null)
        {
            return ApiProblem.NotFound("The webhook endpoint");
        }
        endpoint.Enable();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(WebhookView.Of(endpoint));
    }
}
