using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using Shared.Http;
using Shared.Tenancy;
using Votes.Data;
using Votes.Domain;

namespace Votes.Features;

/// <summary>
/// The published poll a public route names, from the cache: every vote and every public read needs it, and it
/// changes only when Polls publishes an event about the poll. <see cref="ReplicatePolls.PollReplicaProjection"/>
/// invalidates the poll's tag once each change has committed, on every instance (through the cache's backplane).
/// A tag, not a key, because an entry counts as made when its load began: a read that fetched the old row just
/// before that commit and stores it just after is invalid too. The expiry only bounds what clock skew between
/// instances could still let through; it is long enough that reloads seldom make a reader wait.
/// The entry stays in each instance's memory (the replica is an entity, not a wire format).
/// </summary>
internal sealed class PublishedPolls(HybridCache cache, TenantScopes scopes, TenantScope tenant)
{
    private static readonly HybridCacheEntryOptions Entry = new()
    {
        Expiration = TimeSpan.FromMinutes(1),
        LocalCacheExpiration = TimeSpan.FromMinutes(1),
        Flags = HybridCacheEntryFlags.DisableDistributedCache,
    };

    public static string TagOf(Guid pollId) => $"votes:poll:{pollId:N}";

    /// <summary>The published poll, or null for an unknown, unpublished or malformed id. Shared: do not change it.</summary>
    public async Task<PollReplica?> FindAsync(string routeId, CancellationToken cancellationToken)
    {
        if (!RouteId.TryParse(routeId, out var id))
        {
            return null;
        }
        var replica = await cache.GetOrCreateAsync(TagOf(id), (scopes, tenant.Required, id), static (state, ct) =>
            state.scopes.RunAsync(state.Required, (VotesDbContext db) => db.PollReplicas.AsNoTracking().SingleOrDefaultAsync(r => r.PollId == state.id, ct)),
            Entry, [TagOf(id)], cancellationToken);
        return replica is { IsPublished: true } ? replica : null;
    }
}
