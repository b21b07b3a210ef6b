using System.Security.Claims;
using Identity.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Shared.Problems;
using Webhooks.Data;

namespace Webhooks.Features.DeleteWebhook;

internal static class DeleteWebhookEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapDelete("/{id}", Handle)
            .RequireAuthorization(AccessPolicies.Admin)
            .WithSummary("Remove a webhook endpoint, its pending deliveries and their history")
            .WithName("deleteWebhook")
            .WithDescription("Admins only. Nothing more is sent to it; a request already on its way finishes.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<Results<NoContent, ProblemHttpResult>> Handle(
        string id, ClaimsPrincipal principal, WebhooksDbContext db, CancellationToken cancellationToken)
    {
        var endpoint = await db.Endpoints.FindForTenantAsync(TenantMember.From(principal).TenantId, id, cancellationToken);
        if (endpoint is null)
        {
            return ApiProblem.NotFound("The webhook endpoint");
        }
        db.Endpoints.Remove(endpoint);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }
}
