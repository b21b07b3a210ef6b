using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Shared.Messaging;

/// <summary>
/// Degraded when the outbox backlog passes its limit: deliveries are falling behind. Degraded, not Unhealthy,
/// because the backlog is shared by every instance, and taking them all out of the balancer would not help.
/// </summary>
public sealed class OutboxHealthCheck(MessagingMetrics metrics, IOptions<MessagingOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var backlog = metrics.Backlog;
        var limit = options.Value.BacklogLimit;
        return Task.FromResult(backlog > limit
            ? HealthCheckResult.Degraded($"Outbox backlog {backlog} is over the limit of {limit}.")
            : HealthCheckResult.Healthy($"Outbox backlog {backlog}."));
    }
}
