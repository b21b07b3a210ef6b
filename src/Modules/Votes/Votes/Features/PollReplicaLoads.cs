using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Shared.Data;
using Shared.Tenancy;
using Votes.Data;
using Votes.Domain;
using Votes.Features.StreamResults;

namespace Votes.Features;

/// <summary>
/// Loads the poll replicas that <see cref="PublishedPolls"/> misses, gathered (<see cref="GatheredLoads{TKey,TValue}"/>):
/// one query per tenant for all the polls missed at one moment, one query at a time per shard on this instance, so a
/// slow shard holds up only its own tenants' loads. Entries loaded together expire together, so readers who come back
/// after a quiet minute miss many polls at once; loaded one by one, that burst ran a query per poll and opened a pooled
/// connection for each concurrent one (idle ones are closed after a minute), and on two cores it stalled every read
/// for 0.6-0.7 s (200 polls at 10,000 reads/s; gathered, p99 48 ms).
/// </summary>
internal sealed class PollReplicaLoads(TenantScopes scopes, IMeterFactory meters)
{
    private readonly ConcurrentDictionary<string, GatheredLoads<(TenantPlacement Tenant, Guid PollId), PollReplica>> _shards = new(StringComparer.Ordinal);
    private readonly Histogram<int> _batchSizes = meters.Create(LiveResultsMetrics.MeterName)
        .CreateHistogram<int>("poll_replica.load_batch_size", description: "Poll replicas asked for by one query of the published-poll cache's loads");

    /// <summary>The poll's replica as the tenant's shard has it, or null when the tenant has no such poll.</summary>
    public Task<PollReplica?> LoadAsync(TenantPlacement tenant, Guid pollId, CancellationToken cancellationToken) =>
        _shards.GetOrAdd(tenant.ShardId, static (_, self) => new(self.LoadAsync), this).LoadAsync((tenant, pollId), cancellationToken);

    private async Task<IReadOnlyDictionary<(TenantPlacement Tenant, Guid PollId), PollReplica>> LoadAsync(IReadOnlyList<(TenantPlacement Tenant, Guid PollId)> polls)
    {
        var replicas = new Dictionary<(TenantPlacement Tenant, Guid PollId), PollReplica>();
        foreach (var tenant in polls.GroupBy(p => p.Tenant, p => p.PollId))
        {
            var ids = tenant.ToList();
            _batchSizes.Record(ids.Count);
            var found = await scopes.RunAsync(tenant.Key, (VotesDbContext db) => db.PollReplicas.AsNoTracking().Where(r => ids.Contains(r.PollId)).ToListAsync());
            foreach (var replica in found)
            {
                replicas[(tenant.Key, replica.PollId)] = replica;
            }
        }
        return replicas;
    }
}
