using System.Diagnostics.Metrics;

namespace Shared.Caching;

/// <summary>
/// What the cache reports: reads answered from memory, loads (from Redis or the factory, once per key however many
/// readers wait on them), stale values served, Redis failures and backplane events received.
/// </summary>
public sealed class CacheMetrics
{
    public const string MeterName = "Polling.Caching";

    private static readonly KeyValuePair<string, object?> FromRedis = new("source", "redis");
    private static readonly KeyValuePair<string, object?> FromFactory = new("source", "factory");

    private readonly Counter<long> _hits;
    private readonly Counter<long> _loads;
    private readonly Counter<long> _staleServed;
    private readonly Counter<long> _redisFailures;
    private readonly Counter<long> _backplaneEvents;

    public CacheMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _hits = meter.CreateCounter<long>("cache.hits", description: "Reads answered by a fresh entry in this instance's memory (L1)");
        _loads = meter.CreateCounter<long>("cache.loads", description: "Entries loaded into memory, by source: Redis (L2) or the factory");
        _staleServed = meter.CreateCounter<long>("cache.stale_served", description: "Reads answered with a stale entry: its factory failed (fail-safe) or was slow (soft timeout)");
        _redisFailures = meter.CreateCounter<long>("cache.redis_failures", description: "Redis operations that failed, each opening the breaker for a while");
        _backplaneEvents = meter.CreateCounter<long>("cache.backplane_events", description: "Invalidations received from other instances");
    }

    internal void Hit() => _hits.Add(1);

    internal void LoadedFromRedis() => _loads.Add(1, FromRedis);

    internal void LoadedFromFactory() => _loads.Add(1, FromFactory);

    internal void StaleServed() => _staleServed.Add(1);

    internal void RedisFailed() => _redisFailures.Add(1);

    internal void BackplaneEvent() => _backplaneEvents.Add(1);
}
