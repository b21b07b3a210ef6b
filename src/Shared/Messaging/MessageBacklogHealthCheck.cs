using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Shared.Tenancy;

namespace Shared.Messaging;

/// <summary>Degraded when the messages waiting on a shard (not yet handled, or due for a retry) pass the limit: handlers are falling behind.</summary>
internal sealed class MessageBacklogHealthCheck(ShardMap shards, MessageBacklog backlog, IOptions<MessagingOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        ShardBacklogs.CheckAsync(shards.ShardIds, backlog.CountAsync, options.Value.BacklogLimit, "Messages waiting", cancellationToken);
}
