using Microsoft.EntityFrameworkCore;
using Shared.Http;
using Webhooks.Domain;

namespace Webhooks.Data;

internal static class EndpointQueries
{
    /// <summary>The tenant's endpoint by the id in a route; null when it does not parse, does not exist or is another tenant's.</summary>
    public static async Task<WebhookEndpoint?> FindForTenantAsync(this IQueryable<WebhookEndpoint> endpoints, Guid tenantId, string id, CancellationToken cancellationToken) =>
        RouteId.TryParse(id, out var endpointId)
            ? await endpoints.SingleOrDefaultAsync(e => e.Id == endpointId && e.TenantId == tenantId, cancellationToken)
            : null;
}
