using System.Diagnostics.Metrics;

namespace Shared.Messaging;

/// <summary>What the relay reports: backlog, dispatch lag, deliveries, retries and dead letters.</summary>
public sealed class MessagingMetrics
{
    public const string MeterName = "Polling.Messaging";

    private readonly Counter<long> _dispatched;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _deadLettered;
    private readonly Histogram<double> _lag;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _backlogs = new(StringComparer.Ordinal);

    public MessagingMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _dispatched = meter.CreateCounter<long>("outbox.dispatched", description: "Messages delivered to all their handlers");
        _retried = meter.CreateCounter<long>("outbox.retries", description: "Deliveries that failed and were rescheduled");
        _deadLettered = meter.CreateCounter<long>("outbox.dead_letters", description: "Messages moved to the dead letters");
        _lag = meter.CreateHistogram<double>("outbox.dispatch_lag", unit: "ms", description: "From due time to delivered");
        meter.CreateObservableGauge("outbox.backlog", () => _backlogs.Values.Sum(), description: "Pending messages on the shards whose relays this instance owns, as last counted");
    }

    internal void Dispatched(DateTimeOffset dueAt, DateTimeOffset now)
    {
        _dispatched.Add(1);
        _lag.Record(Math.Max(0, (now - dueAt).TotalMilliseconds));
    }

    internal void Retried() => _retried.Add(1);

    internal void DeadLettered() => _deadLettered.Add(1);

    internal void ObservedBacklog(string shardId, long backlog) => _backlogs[shardId] = backlog;

    /// <summary>This instance no longer owns the shard's relay, so another reports that backlog.</summary>
    internal void ForgetBacklog(string shardId) => _backlogs.TryRemove(shardId, out _);
}
