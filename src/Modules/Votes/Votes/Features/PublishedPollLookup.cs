using Microsoft.EntityFrameworkCore;
using Shared.Http;
using Votes.Domain;

namespace Votes.Features;

internal static class PublishedPollLookup
{
    /// <summary>The published poll a public route names; a malformed id names none. Public routes carry no tenant: the poll id is the key.</summary>
    public static async Task<PollReplica?> FindPublishedAsync(this DbSet<PollReplica> replicas, string routeId, CancellationToken cancellationToken)
    {
        if (!RouteId.TryParse(routeId, out var id))
        {
            return null;
        }
        var replica = await replicas.AsNoTracking().SingleOrDefaultAsync(r => r.PollId == id, cancellationToken);
        return replica is { IsPublished: true } ? replica : null;
    }
}
