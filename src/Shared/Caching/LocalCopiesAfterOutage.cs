using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;

namespace Shared.Caching;

/// <summary>
/// An instance that was cut off from Redis has missed the backplane's invalidations of that time: pub/sub keeps
/// nothing for a subscriber that is away, and the instance that made a change replays it once it is back itself,
/// which may be before this one has resubscribed. So when this instance's subscription comes back, its local copies
/// are expired (kept for fail-safe, reloaded on their next read, once per key): the staleness a Redis outage can
/// cause ends when this instance reconnects, not when the copies would have expired.
/// </summary>
internal sealed partial class LocalCopiesAfterOutage(IConnectionMultiplexer redis, IFusionCache cache, ILogger<LocalCopiesAfterOutage> logger) : IHostedService
{
    // Clearing stores a marker entry in the memory cache, which has a size limit: without a size the marker is refused
    // and the clear does not happen.
    private static readonly FusionCacheEntryOptions ThisInstanceOnly = new()
    {
        SkipDistributedCacheRead = true, SkipDistributedCacheWrite = true, SkipBackplaneNotifications = true, Size = 1,
    };

    public Task StartAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionRestored += OnRestored;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionRestored -= OnRestored;
        return Task.CompletedTask;
    }

    private void OnRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            cache.Clear(allowFailSafe: true, ThisInstanceOnly);
            LogExpired(logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is back: this instance's cached copies are expired, as it may have missed invalidations while away")]
    private static partial void LogExpired(ILogger logger);
}
