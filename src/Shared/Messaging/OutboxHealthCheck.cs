using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Shared.Messaging;

/// <summary>
/// Degraded when a shard's outbox backlog passes its limit: deliveries are falling behind. Degraded, not Unhealthy,
/// because the backlog is shared by every instance, and taking them all out of the balancer would not help.
/// </summary>
public sealed class OutboxHealthCheck : IHealthCheck
{
    private readonly OutboxShards _outboxes;
    private readonly IOptions<MessagingOptions> _options;

    internal OutboxHealthCheck(OutboxShards outboxes, IOptions<MessagingOptions> options)
    {
        _outboxes = outboxes;
        _options = options;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // Counted here rather than taken from the relays, which may run on other instances.
        var limit = _options.Value.BacklogLimit;
        var over = new List<string>();
        var total = 0L;
        foreach (var shard in _outboxes.ShardIds)
        {
            try
            {
                var backlog = await _outboxes.Store(shard).BacklogAsync(cancellationToken);
                total += backlog;
                if (backlog > limit)
                {
                    over.Add($"shard {shard}: {backlog}");
                }
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
            {
                // The shard being down is the databases check's to report; here it only has no backlog to count.
                over.Add($"shard {shard}: not reachable");
            }
        }
        return over.Count > 0
            ? HealthCheckResult.Degraded($"Outbox backlog over the limit of {limit} or unknown ({string.Join(", ", over)}).")
            : HealthCheckResult.Healthy($"Outbox backlog {total}.");
    }
}
