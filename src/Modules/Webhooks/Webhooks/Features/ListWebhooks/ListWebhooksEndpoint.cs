using System.Security.Claims;
using Identity.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Webhooks.Data;

namespace Webhooks.Features.ListWebhooks;

internal static class ListWebhooksEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("", Handle)
            .RequireAuthorization(AccessPolicies.Admin)
            .WithSummary("List the tenant's webhook endpoints, newest first")
            .WithName("listWebhooks")
            .WithDescription("Admins only. Secrets are never listed; a disabled endpoint says when and why it was disabled.")
            .ProducesProblem(StatusCodes.Status403Forbidden);

    private static async Task<Ok<List<WebhookView>>> Handle(ClaimsPrincipal principal, WebhooksDbContext db, CancellationToken cancellationToken)
    {
        var tenantId = TenantMember.From(principal).TenantId;
        var endpoints = await db.Endpoints.AsNoTracking().Where(e => e.TenantId == tenantId).OrderByDescending(e => e.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(endpoints.Select(WebhookView.Of).ToList());
    }
}
