using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Shared.Tenancy;

namespace Shared.Messaging;

/// <summary>Degraded when a shard's outbox backlog passes its limit: deliveries are falling behind.</summary>
public sealed class OutboxHealthCheck : IHealthCheck
{
    private readonly OutboxShards _outboxes;
    private readonly IOptions<MessagingOptions> _options;

    internal OutboxHealthCheck(OutboxShards outboxes, IOptions<MessagingOptions> options)
    {
        _outboxes = outboxes;
        _options = options;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        ShardBacklogs.CheckAsync(_outboxes.ShardIds, (shard, cancel) => _outboxes.Store(shard).BacklogAsync(cancel),
            _options.Value.BacklogLimit, "Outbox backlog", cancellationToken);
}
