using System.Text.Json;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Shared.Configuration;
using Shared.Json;
using Shared.Redis;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.Backplane.StackExchangeRedis;
using ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson;

namespace Shared.Caching;

public static class CachingSetup
{
    /// <summary>
    /// FusionCache's meters: reads, hits, misses, factory runs and fail-safe; Redis's reads, writes and circuit breaker;
    /// backplane messages. Not its memory level: that one repeats the reads and hits in memory, two more tagged counter
    /// increments per cache read, and a cached public read makes four.
    /// Hits in memory are the hits less Redis's hits.
    /// </summary>
    public static readonly string[] Meters =
    [
        FusionCacheDiagnostics.MeterName, FusionCacheDiagnostics.MeterNameDistributedLevel, FusionCacheDiagnostics.MeterNameBackplane,
    ];

    /// <summary>
    /// <see cref="HybridCache"/> for the modules, on FusionCache: L1 in memory, and with <c>ConnectionStrings:Redis</c>
    /// set, Redis as L2 and as the backplane that drops other instances' L1 copies; L1 alone without it (right for
    /// one instance). Stampede protection, fail-safe, soft timeouts, eager refresh and tags are FusionCache's own.
    /// </summary>
    public static IServiceCollection AddPlatformCaching(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = Bind(configuration);
        var fusion = services.AddFusionCache()
            .WithOptions(options =>
            {
                options.BackplaneChannelPrefix = settings.KeyPrefix + "backplane";
                options.DistributedCacheCircuitBreakerDuration = settings.DistributedBreakDuration;
                options.BackplaneCircuitBreakerDuration = settings.DistributedBreakDuration;
                options.AutoRecoveryDelay = settings.AutoRecoveryDelay;
                // A tag drops what was dropped on purpose (a revoked API key, a poll that changed). Expired, the default,
                // would keep it as a fail-safe fallback: a reload failing just after a revocation (the database down)
                // would hand the revoked key's holder back. Removed, the failure reaches the caller.
                options.RemoveByTagBehavior = RemoveByTagBehavior.Remove;
                // An invalidation matters while an entry made before it can still be served, and no longer.
                var tagMemory = settings.LongestEntryLifetime + settings.FailSafeMaxDuration;
                options.TagsDefaultEntryOptions.Duration = tagMemory;
                options.TagsDefaultEntryOptions.DistributedCacheDuration = tagMemory;
                options.TagsDefaultEntryOptions.FailSafeMaxDuration = tagMemory;
                options.TagsDefaultEntryOptions.Size = 1;
            })
            .WithDefaultEntryOptions(entry =>
            {
                entry.Duration = BoundedLifetimes.DefaultExpiration;
                // Counted against LocalMaxEntries.
                entry.Size = 1;
                entry.IsFailSafeEnabled = true;
                // FusionCache counts the fail-safe window from the entry's making, not from its expiry.
                entry.FailSafeMaxDuration = settings.LongestEntryLifetime + settings.FailSafeMaxDuration;
                entry.FailSafeThrottleDuration = TimeSpan.FromSeconds(1);
                entry.FactorySoftTimeout = settings.FactorySoftTimeout;
                entry.DistributedCacheSoftTimeout = settings.DistributedTimeout;
                entry.DistributedCacheHardTimeout = settings.DistributedTimeout;
                // A read in the last tenth of an entry's life renews it in the background: a key read all the time
                // never makes its readers wait for a reload at expiry.
                entry.EagerRefreshThreshold = 0.9f;
                // A value in Redis that does not read (an older shape, say) is a miss, not a failed request.
                entry.ReThrowSerializationExceptions = false;
                // A value a load has just made is what any instance would load: announcing it only makes every other
                // instance drop its copy and load again, and their loads then drop this one's. For entries kept in
                // memory only that never settles (FusionCache warns of it), and in the benchmark each instance's
                // reloads made another reload 400 entries at once. Changes are announced by removing, by tag or by
                // key (BoundedLifetimes), never by a load.
                entry.SkipBackplaneNotifications = true;
            })
            .WithMemoryCache(new MemoryCache(new MemoryCacheOptions { SizeLimit = settings.LocalMaxEntries }))
            // Value tuples are fields: without IncludeFields they would not survive the trip through Redis.
            .WithSerializer(new FusionCacheSystemTextJsonSerializer(new JsonSerializerOptions(ApiJson.Options) { IncludeFields = true }));
        if (RedisConnection.IsConfigured(configuration))
        {
            services.AddRedisConnection(configuration);
            fusion
                // The prefix goes on Redis's keys only: as FusionCache's own key prefix it was joined to the key on
                // every read, memory hits included (a third of the strings a cached public read allocated).
                .WithDistributedCache(provider => new RedisCache(new RedisCacheOptions
                {
                    ConnectionMultiplexerFactory = SharedConnection(provider),
                    InstanceName = settings.KeyPrefix,
                }))
                .WithBackplane(provider => new RedisBackplane(new RedisBackplaneOptions { ConnectionMultiplexerFactory = SharedConnection(provider) }));
            services.AddHostedService<LocalCopiesAfterOutage>();
        }
        services.TryAddSingleton<HybridCache>(provider => new BoundedLifetimes(provider.GetRequiredService<IFusionCache>(), settings));
        return services;
    }

    private static Func<Task<IConnectionMultiplexer>> SharedConnection(IServiceProvider provider) =>
        () => Task.FromResult(provider.GetRequiredService<IConnectionMultiplexer>());

    private static CachingOptions Bind(IConfiguration configuration)
    {
        try
        {
            return configuration.GetSection(CachingOptions.Section).Get<CachingOptions>() ?? new CachingOptions();
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidSettingException(CachingOptions.Section, $"has a value that does not read: {e.Message}");
        }
    }
}
