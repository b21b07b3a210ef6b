using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Shared.Tenancy;
using Votes.Data;

namespace Votes.Features.TallyVotes;

/// <summary>Degraded when a shard's uncounted votes pass their limit: counting is falling behind.</summary>
internal sealed class TallyHealthCheck(ShardMap shards, TallyQueue queue, IOptions<TallyOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        ShardBacklogs.CheckAsync(shards.ShardIds, queue.BacklogAsync, options.Value.BacklogLimit, "Uncounted votes", cancellationToken);
}
