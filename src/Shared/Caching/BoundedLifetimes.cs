using Microsoft.Extensions.Caching.Hybrid;
using ZiggyCreatures.Caching.Fusion;

namespace Shared.Caching;

/// <summary>
/// The modules' <see cref="HybridCache"/>: FusionCache's adapter, with two bounds FusionCache does not keep by itself.
/// No entry lives longer than <see cref="CachingOptions.LongestEntryLifetime"/>, so tag invalidations can be
/// forgotten after it; and an instance's copy of an entry Redis also holds is trusted for no longer than
/// <see cref="CachingOptions.LocalCopyMaxDuration"/>, which bounds how stale an instance can be should a backplane
/// message be lost (an outage, say). Entries that stay in memory only keep their own lifetime.
/// Loads announce nothing to other instances (<see cref="CachingSetup"/> says why); removals, by key or by tag, and
/// sets are announced, so every instance drops its copy.
/// </summary>
internal sealed class BoundedLifetimes : HybridCache
{
    public static readonly TimeSpan DefaultExpiration = TimeSpan.FromMinutes(5);

    private readonly IFusionCache _cache;
    private readonly HybridCache _fusion;
    private readonly CachingOptions _settings;
    private readonly HybridCacheEntryOptions _defaults;
    private readonly FusionCacheEntryOptions _announced;

    /// <param name="fusion">FusionCache's <see cref="HybridCache"/> adapter over <paramref name="cache"/>.</param>
    public BoundedLifetimes(HybridCache fusion, IFusionCache cache, CachingOptions settings)
    {
        _cache = cache;
        _fusion = fusion;
        _settings = settings;
        _defaults = Bound(new HybridCacheEntryOptions { Expiration = DefaultExpiration });
        _announced = cache.CreateEntryOptions(entry => entry.SkipBackplaneNotifications = false);
    }

    public override ValueTask<T> GetOrCreateAsync<TState, T>(string key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory,
        HybridCacheEntryOptions? options = null, IEnumerable<string>? tags = null, CancellationToken cancellationToken = default) =>
        _fusion.GetOrCreateAsync(key, state, factory, Bound(options), tags, cancellationToken);

    /// <summary>A value set by hand is news: the other instances drop their copies first (the set itself announces nothing).</summary>
    public override async ValueTask SetAsync<T>(string key, T value, HybridCacheEntryOptions? options = null, IEnumerable<string>? tags = null,
        CancellationToken cancellationToken = default)
    {
        await RemoveAsync(key, cancellationToken);
        await _fusion.SetAsync(key, value, Bound(options), tags, cancellationToken);
    }

    public override ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default) => _cache.RemoveAsync(key, _announced, cancellationToken);

    /// <summary>Announced by FusionCache's own tag options, which are not the entries' defaults.</summary>
    public override ValueTask RemoveByTagAsync(string tag, CancellationToken cancellationToken = default) => _fusion.RemoveByTagAsync(tag, cancellationToken);

    /// <summary>The options as given when they are within the bounds (no allocation on the hot path), else bounded ones.</summary>
    private HybridCacheEntryOptions Bound(HybridCacheEntryOptions? options)
    {
        if (options is null)
        {
            return _defaults;
        }
        var expiration = Min(options.Expiration ?? DefaultExpiration, _settings.LongestEntryLifetime);
        var local = Min(options.LocalCacheExpiration ?? expiration, expiration);
        var sharedInRedis = options.Flags?.HasFlag(HybridCacheEntryFlags.DisableDistributedCache) != true;
        if (sharedInRedis && _settings.LocalCopyMaxDuration is { } cap)
        {
            local = Min(local, cap);
        }
        return options.Expiration == expiration && options.LocalCacheExpiration == local
            ? options
            : new HybridCacheEntryOptions { Expiration = expiration, LocalCacheExpiration = local, Flags = options.Flags };
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
