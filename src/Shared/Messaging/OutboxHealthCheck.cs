using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Shared.Messaging;

/// <summary>
/// Degraded when the outbox backlog passes its limit: deliveries are falling behind. Degraded, not Unhealthy,
/// because the backlog is shared by every instance, and taking them all out of the balancer would not help.
/// </summary>
public sealed class OutboxHealthCheck : IHealthCheck
{
    private readonly OutboxStore _store;
    private readonly IOptions<MessagingOptions> _options;

    internal OutboxHealthCheck(OutboxStore store, IOptions<MessagingOptions> options)
    {
        _store = store;
        _options = options;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // Counted here rather than taken from this instance's relay, which may be switched off.
        var backlog = await _store.BacklogAsync(cancellationToken);
        var limit = _options.Value.BacklogLimit;
        return backlog > limit
            ? HealthCheckResult.Degraded($"Outbox backlog {backlog} is over the limit of {limit}.")
            : HealthCheckResult.Healthy($"Outbox backlog {backlog}.");
    }
}
