using Microsoft.Extensions.Caching.Hybrid;
using Shared.Caching;
using Shared.Http;
using Shared.Tenancy;
using Votes.Domain;

namespace Votes.Features;

/// <summary>
/// The published poll a public route names, from the cache: every vote and every public read needs it, and it
/// changes only when Polls publishes an event about the poll. <see cref="ReplicatePolls.PollReplicaProjection"/>
/// invalidates the poll's tag once each change has committed, on every instance (through the cache's backplane).
/// A tag, not a key, because an entry counts as made when its load began: a read that fetched the old row just
/// before that commit and stores it just after is invalid too. The expiry only bounds what clock skew between
/// instances could still let through; it is long enough that reloads seldom make a reader wait, and spread so that
/// polls loaded together do not reload together.
/// The entry stays in each instance's memory (the replica is an entity, not a wire format). A copy that says the poll
/// is not public yet is checked against the database, so that a poll is public everywhere once its open has answered.
/// </summary>
internal sealed class PublishedPolls(HybridCache cache, PollReplicaLoads loads, TenantScope tenant)
{
    private static readonly SpreadExpirations Entries = new(TimeSpan.FromMinutes(1), HybridCacheEntryFlags.DisableDistributedCache);

    public static string TagOf(Guid pollId) => $"votes:poll:{pollId:N}";

    /// <summary>The published poll, or null for an unknown, unpublished or malformed id. Shared: do not change it.</summary>
    public async Task<PollReplica?> FindAsync(string routeId, CancellationToken cancellationToken)
    {
        if (!RouteId.TryParse(routeId, out var id))
        {
            return null;
        }
        var key = (loads, tenant.Required, id);
        // The tag doubles as the key.
        var tag = TagOf(id);
        var replica = await cache.GetOrCreateAsync(tag, key, LoadAsync, Entries.For(id), [tag], cancellationToken);
        if (replica is null or { IsPublished: false, Archived: false })
        {
            // Not public yet by this instance's copy. Opening is the one change that makes a poll public, and the
            // backplane brings it here a moment after the open has answered on another instance: ask the database
            // before refusing. Archived and closed are for good, so those copies are trusted as they are.
            replica = await LoadAsync(key, cancellationToken);
        }
        return replica is { IsPublished: true } ? replica : null;
    }

    private static ValueTask<PollReplica?> LoadAsync((PollReplicaLoads Loads, TenantPlacement Tenant, Guid Id) poll, CancellationToken cancellationToken) =>
        new(poll.Loads.LoadAsync(poll.Tenant, poll.Id, cancellationToken));
}
