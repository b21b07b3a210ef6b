using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Shared.Data;
using Shared.Tenancy;

namespace Shared.Messaging;

/// <summary>Degraded when the messages waiting on a shard (not yet handled, or due for a retry) pass the limit: handlers are falling behind.</summary>
internal sealed class MessageBacklogHealthCheck(ShardMap shards, IOptions<MessagingOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        ShardBacklogs.CheckAsync(shards.ShardIds, CountAsync, options.Value.BacklogLimit, "Messages waiting", cancellationToken);

    private async Task<long> CountAsync(string shardId, CancellationToken cancellationToken)
    {
        var counts = await shards.Shard(shardId).QueryAsync(
            $"SELECT count(*) FROM {WolverineSetup.Schema}.wolverine_incoming_envelopes WHERE status <> 'Handled'", r => r.GetInt64(0), cancellationToken);
        return counts[0];
    }
}
