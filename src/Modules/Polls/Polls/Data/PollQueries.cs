using Microsoft.EntityFrameworkCore;
using Polls.Domain;
using Shared.Http;

namespace Polls.Data;

internal static class PollQueries
{
    /// <summary>The tenant's poll with this route id, unless it is archived. Another tenant's poll is as absent as a missing one.</summary>
    public static async Task<Poll?> FindForTenantAsync(this DbSet<Poll> polls, Guid tenantId, string routeId, CancellationToken cancellationToken) =>
        RouteId.TryParse(routeId, out var id)
            ? await polls.SingleOrDefaultAsync(p => p.Id == id && p.TenantId == tenantId && p.ArchivedAt == null, cancellationToken)
            : null;
}
