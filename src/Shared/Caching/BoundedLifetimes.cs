using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Hybrid;
using ZiggyCreatures.Caching.Fusion;

namespace Shared.Caching;

/// <summary>
/// The modules' <see cref="HybridCache"/> on FusionCache, with two bounds FusionCache does not keep by itself.
/// No entry lives longer than <see cref="CachingOptions.LongestEntryLifetime"/>, so tag invalidations can be
/// forgotten after it; and an instance's copy of an entry Redis also holds is trusted for no longer than
/// <see cref="CachingOptions.LocalCopyMaxDuration"/>, which bounds how stale an instance can be should a backplane
/// message be lost (an outage, say). Entries that stay in memory only keep their own lifetime.
/// Loads announce nothing to other instances (<see cref="CachingSetup"/> says why); removals, by key or by tag, and
/// sets are announced, so every instance drops its copy.
/// It calls FusionCache itself rather than through FusionCache's own HybridCache adapter: the adapter makes a new
/// FusionCache entry options object (about 40 fields) on every call, four times per cached public read and 11 % of
/// the bytes such a read allocated; here the options for each distinct set of lifetimes and flags are made once.
/// </summary>
internal sealed class BoundedLifetimes : HybridCache
{
    public static readonly TimeSpan DefaultExpiration = TimeSpan.FromMinutes(5);
    private const int MostKept = 1024;

    private readonly IFusionCache _cache;
    private readonly CachingOptions _settings;
    private readonly FusionCacheEntryOptions _defaults;
    private readonly FusionCacheEntryOptions _announced;
    private readonly ConcurrentDictionary<(TimeSpan? Expiration, TimeSpan? Local, HybridCacheEntryFlags? Flags), FusionCacheEntryOptions> _made = new();

    public BoundedLifetimes(IFusionCache cache, CachingOptions settings)
    {
        _cache = cache;
        _settings = settings;
        _defaults = Make(new HybridCacheEntryOptions { Expiration = DefaultExpiration });
        _announced = cache.CreateEntryOptions(entry => entry.SkipBackplaneNotifications = false);
    }

    public override ValueTask<T> GetOrCreateAsync<TState, T>(string key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory,
        HybridCacheEntryOptions? options = null, IEnumerable<string>? tags = null, CancellationToken cancellationToken = default)
    {
        if (options?.Flags?.HasFlag(HybridCacheEntryFlags.DisableUnderlyingData) == true)
        {
            throw new NotSupportedException("Every read here can load its value.");
        }
        return _cache.GetOrSetAsync<T>(key, (_, ct) => factory(state, ct).AsTask(), default, EntryOptions(options), tags, cancellationToken);
    }

    /// <summary>A value set by hand is news: the other instances drop their copies first (the set itself announces nothing).</summary>
    public override async ValueTask SetAsync<T>(string key, T value, HybridCacheEntryOptions? options = null, IEnumerable<string>? tags = null,
        CancellationToken cancellationToken = default)
    {
        await RemoveAsync(key, cancellationToken);
        await _cache.SetAsync(key, value, EntryOptions(options), tags, cancellationToken);
    }

    public override ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default) => _cache.RemoveAsync(key, _announced, cancellationToken);

    /// <summary>Announced by FusionCache's own tag options, which are not the entries' defaults.</summary>
    public override ValueTask RemoveByTagAsync(string tag, CancellationToken cancellationToken = default) =>
        _cache.RemoveByTagAsync(tag, null, cancellationToken);

    /// <summary>
    /// What FusionCache is given for the caller's options: made on the first call with their values, the same after.
    /// Callers use a few sets of values (static options); past <see cref="MostKept"/> of them, options are made per call.
    /// </summary>
    internal FusionCacheEntryOptions EntryOptions(HybridCacheEntryOptions? options)
    {
        if (options is null)
        {
            return _defaults;
        }
        var values = (options.Expiration, options.LocalCacheExpiration, options.Flags);
        if (_made.TryGetValue(values, out var made))
        {
            return made;
        }
        made = Make(options);
        return _made.Count < MostKept ? _made.GetOrAdd(values, made) : made;
    }

    /// <summary>FusionCache's defaults with the caller's lifetimes, within the bounds, and its choice of levels.</summary>
    private FusionCacheEntryOptions Make(HybridCacheEntryOptions options)
    {
        var expiration = Min(options.Expiration ?? DefaultExpiration, _settings.LongestEntryLifetime);
        var local = Min(options.LocalCacheExpiration ?? expiration, expiration);
        var flags = options.Flags ?? HybridCacheEntryFlags.None;
        var sharedInRedis = !flags.HasFlag(HybridCacheEntryFlags.DisableDistributedCache);
        if (sharedInRedis && _settings.LocalCopyMaxDuration is { } cap)
        {
            local = Min(local, cap);
        }
        return _cache.CreateEntryOptions(entry =>
        {
            // As FusionCache's own adapter maps them: the entry's lifetime, and its copy in memory's.
            entry.Duration = expiration;
            entry.MemoryCacheDuration = local;
            entry.SkipMemoryCacheRead = flags.HasFlag(HybridCacheEntryFlags.DisableLocalCacheRead);
            entry.SkipMemoryCacheWrite = flags.HasFlag(HybridCacheEntryFlags.DisableLocalCacheWrite);
            entry.SkipDistributedCacheRead = flags.HasFlag(HybridCacheEntryFlags.DisableDistributedCacheRead);
            entry.SkipDistributedCacheWrite = flags.HasFlag(HybridCacheEntryFlags.DisableDistributedCacheWrite);
        });
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
