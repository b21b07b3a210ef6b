using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shared.Json;

namespace Shared.Caching;

/// <summary>
/// The product's <see cref="HybridCache"/>: an in-process L1 (<see cref="MemoryCache"/>, bounded) in front of an
/// optional distributed L2 (Redis), kept coherent across instances by an optional backplane.
/// <list type="bullet">
/// <item>Stampede protection: concurrent misses on a key share one load (L2, else the factory) per instance.</item>
/// <item>Renewal ahead of expiry: a read in the last tenth of an entry's life reloads it in the background, and local
/// lifetimes are shortened at random by up to a tenth, so hot keys, and keys made together, do not make readers wait
/// for reloads all at once.</item>
/// <item>Tags: <see cref="RemoveByTagAsync"/> invalidates every entry carrying the tag that was made before it.</item>
/// <item>Fail-safe: if the factory fails, the last good value is served for up to <see cref="LayeredCacheOptions.FailSafeMaxDuration"/>
/// past its expiry; a factory slower than the soft timeout, with a stale value at hand, finishes in the background.</item>
/// <item>L2 trouble never fails a read: an error (or a value that does not deserialize) counts as a miss, and after an
/// error L2 is skipped for a while (circuit breaking), so Redis being down costs at most one timeout.</item>
/// <item>Without L2 and backplane it is an L1-only cache, which is right for a single instance. An entry flagged
/// <see cref="HybridCacheEntryFlags.DisableDistributedCache"/> stays in L1, and the backplane still drops it everywhere.</item>
/// </list>
/// Values in L1 are shared objects: cache immutable values (records, byte arrays).
/// </summary>
public sealed class LayeredCache : HybridCache, IAsyncDisposable
{
    private static readonly TimeSpan DefaultExpiration = TimeSpan.FromMinutes(5);
    private const double ExpirationJitter = 0.1;
    private const double RefreshShare = 0.1;
    private static readonly TimeSpan TagPruneInterval = TimeSpan.FromMinutes(1);

    private readonly MemoryCache _local;
    private readonly IDistributedCache? _distributed;
    private readonly ICacheBackplane? _backplane;
    private readonly LayeredCacheOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly CacheMetrics? _metrics;
    private readonly ConcurrentDictionary<string, Lazy<Task<Entry>>> _loads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _tagsInvalidatedAt = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Task<IAsyncDisposable>? _subscription;
    private long _distributedBrokenUntil;
    private long _longestLifetimeMs = (long)DefaultExpiration.TotalMilliseconds;
    private long _tagsPrunedAt;

    /// <summary>A cached value, when it was made, its tags, until when it is fresh, and from when a read renews it.</summary>
    private sealed record Entry(object? Value, long CreatedAt, string[] Tags, DateTimeOffset FreshUntil, DateTimeOffset RefreshFrom);

    /// <summary>What L2 holds: the value with its making time and tags, so tags hold across instances too.</summary>
    private sealed record Envelope<T>(long CreatedAt, string[] Tags, T Value);

    public LayeredCache(IOptions<LayeredCacheOptions> options, TimeProvider clock, ILogger<LayeredCache> logger,
        IDistributedCache? distributed = null, ICacheBackplane? backplane = null, CacheMetrics? metrics = null)
    {
        _options = options.Value;
        _metrics = metrics;
        _clock = clock;
        _logger = logger;
        _distributed = distributed;
        _backplane = backplane;
        _local = new MemoryCache(new MemoryCacheOptions { SizeLimit = _options.LocalMaxEntries });
        _subscription = backplane?.SubscribeAsync(OnEvent);
    }

    public override async ValueTask<T> GetOrCreateAsync<TState, T>(
        string key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory,
        HybridCacheEntryOptions? options = null, IEnumerable<string>? tags = null, CancellationToken cancellationToken = default)
    {
        var now = _clock.GetUtcNow();
        var local = _local.Get<Entry>(key) is { } found && IsCurrent(found) ? found : null;
        if (local is not null && local.FreshUntil > now)
        {
            _metrics?.Hit();
            if (now >= local.RefreshFrom && !_loads.ContainsKey(key))
            {
                // Late in its life: renewed in the background, so that a key read all the time never makes its
                // readers wait for a reload at expiry.
                _ = RefreshAsync(key, Load(key, state, factory, options, tags));
            }
            return (T)local.Value!;
        }
        var load = Load(key, state, factory, options, tags);
        try
        {
            var entry = local is null
                ? await load.WaitAsync(cancellationToken)
                : await load.WaitAsync(_options.FactorySoftTimeout, cancellationToken);
            return (T)entry.Value!;
        }
        catch (TimeoutException) when (local is not null)
        {
            // The factory is slow: serve what we have; the load carries on and refreshes the entry when it is done.
            _metrics?.StaleServed();
            return (T)local.Value!;
        }
        catch (Exception e) when (local is not null && e is not OperationCanceledException && local.FreshUntil + _options.FailSafeMaxDuration > now)
        {
            _logger.LogWarning(e, "Serving the last good value of {Key}: its factory failed", key);
            _metrics?.StaleServed();
            return (T)local.Value!;
        }
    }

    public override async ValueTask SetAsync<T>(
        string key, T value, HybridCacheEntryOptions? options = null, IEnumerable<string>? tags = null, CancellationToken cancellationToken = default)
    {
        var entry = Store(key, value, options, tags?.ToArray() ?? [], _clock.GetUtcNow());
        await WriteDistributedAsync(key, entry, value, options);
        await PublishAsync(new CacheEvent(CacheEvent.Key, key, entry.CreatedAt));
    }

    public override async ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        _local.Remove(key);
        await GuardDistributedAsync(d => d.RemoveAsync(_options.KeyPrefix + key));
        await PublishAsync(new CacheEvent(CacheEvent.Key, key, _clock.GetUtcNow().ToUnixTimeMilliseconds()));
    }

    public override async ValueTask RemoveByTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        var at = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        InvalidateTag(tag, at);
        await GuardDistributedAsync(d => d.SetAsync(TagKey(tag), BitConverter.GetBytes(at), new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TagMemory }));
        await PublishAsync(new CacheEvent(CacheEvent.Tag, tag, at));
    }

    public async ValueTask DisposeAsync()
    {
        await _lifetime.CancelAsync();
        if (_subscription is not null)
        {
            await (await _subscription).DisposeAsync();
        }
        _local.Dispose();
        _lifetime.Dispose();
    }

    /// <summary>The key's load in progress, or a new one: one per key at a time, however many readers want it.</summary>
    private Task<Entry> Load<TState, T>(
        string key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, HybridCacheEntryOptions? options, IEnumerable<string>? tags) =>
        _loads.GetOrAdd(key, _ => new Lazy<Task<Entry>>(() => LoadAsync(key, state, factory, options, tags?.ToArray() ?? []))).Value;

    /// <summary>A renewal nobody waits for: if it fails, the entry in hand stays, to expire (and fail safe) as usual.</summary>
    private async Task RefreshAsync(string key, Task<Entry> load)
    {
        try
        {
            await load;
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Renewing {Key} ahead of its expiry failed", key);
        }
    }

    private async Task<Entry> LoadAsync<TState, T>(
        string key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, HybridCacheEntryOptions? options, string[] tags)
    {
        // An entry counts as made when its load began: data read before a tag was invalidated must not outlive it.
        var started = _clock.GetUtcNow();
        try
        {
            if (Shared(options) && await ReadDistributedAsync<T>(key) is { } shared)
            {
                // Fresh here no longer than it is in Redis: a copy made long ago elsewhere has little life left.
                var now = _clock.GetUtcNow();
                var leftInRedis = DateTimeOffset.FromUnixTimeMilliseconds(shared.CreatedAt) + (options?.Expiration ?? DefaultExpiration) - now;
                var lifetime = LocalExpiration(options);
                RememberLifetime(options);
                var entry = NewEntry(shared.Value, shared.CreatedAt, shared.Tags, now, leftInRedis < lifetime ? leftInRedis : lifetime);
                Remember(key, entry);
                _metrics?.LoadedFromRedis();
                return entry;
            }
            var value = await factory(state, _lifetime.Token);
            var made = Store(key, value, options, tags, started);
            _metrics?.LoadedFromFactory();
            await WriteDistributedAsync(key, made, value, options);
            return made;
        }
        finally
        {
            _loads.TryRemove(key, out _);
        }
    }

    private Entry Store<T>(string key, T value, HybridCacheEntryOptions? options, string[] tags, DateTimeOffset madeAt)
    {
        RememberLifetime(options);
        var entry = NewEntry(value, madeAt.ToUnixTimeMilliseconds(), tags, _clock.GetUtcNow(), LocalExpiration(options));
        Remember(key, entry);
        return entry;
    }

    /// <summary>An entry fresh for <paramref name="lifetime"/> from now, which reads renew in its last tenth.</summary>
    private static Entry NewEntry(object? value, long createdAt, string[] tags, DateTimeOffset now, TimeSpan lifetime) =>
        new(value, createdAt, tags, now + lifetime, now + lifetime * (1 - RefreshShare));

    private void Remember(string key, Entry entry) =>
        // Kept past its freshness for the fail-safe window; freshness is checked on every read.
        _local.Set(key, entry, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpiration = entry.FreshUntil + _options.FailSafeMaxDuration });

    private async Task<Envelope<T>?> ReadDistributedAsync<T>(string key)
    {
        var bytes = await GuardDistributedAsync(d => d.GetAsync(_options.KeyPrefix + key));
        if (bytes is null)
        {
            return null;
        }
        Envelope<T>? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<Envelope<T>>(bytes, ApiJson.Options);
        }
        catch (JsonException e)
        {
            _logger.LogWarning(e, "The shared cache's value of {Key} does not read as {Type}; treated as a miss", key, typeof(T).Name);
            return null;
        }
        if (envelope is null)
        {
            return null;
        }
        foreach (var tag in envelope.Tags)
        {
            // Another instance may have invalidated the tag before this one started: the tag's time is in L2 too.
            if (await GuardDistributedAsync(d => d.GetAsync(TagKey(tag))) is { Length: 8 } at)
            {
                InvalidateTag(tag, BitConverter.ToInt64(at));
            }
        }
        return envelope.Tags.All(tag => !_tagsInvalidatedAt.TryGetValue(tag, out var at) || envelope.CreatedAt > at) ? envelope : null;
    }

    private Task WriteDistributedAsync<T>(string key, Entry entry, T value, HybridCacheEntryOptions? options) =>
        !Shared(options) ? Task.CompletedTask : GuardDistributedAsync(d => d.SetAsync(_options.KeyPrefix + key,
            JsonSerializer.SerializeToUtf8Bytes(new Envelope<T>(entry.CreatedAt, entry.Tags, value), ApiJson.Options),
            new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = options?.Expiration ?? DefaultExpiration }));

    private async Task GuardDistributedAsync(Func<IDistributedCache, Task> action) =>
        await GuardDistributedAsync(async d =>
        {
            await action(d);
            return (byte[]?)null;
        });

    /// <summary>Runs an L2 operation unless the breaker is open; a failure opens it and reads as "no value".</summary>
    private async Task<byte[]?> GuardDistributedAsync(Func<IDistributedCache, Task<byte[]?>> action)
    {
        if (_distributed is null || _clock.GetUtcNow().ToUnixTimeMilliseconds() < Interlocked.Read(ref _distributedBrokenUntil))
        {
            return null;
        }
        try
        {
            return await action(_distributed);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Interlocked.Exchange(ref _distributedBrokenUntil, (_clock.GetUtcNow() + _options.DistributedBreakDuration).ToUnixTimeMilliseconds());
            _metrics?.RedisFailed();
            _logger.LogWarning(e, "The shared cache failed; working from the local cache alone for {Break}", _options.DistributedBreakDuration);
            return null;
        }
    }

    private async Task PublishAsync(CacheEvent cacheEvent)
    {
        if (_backplane is null)
        {
            return;
        }
        try
        {
            await _backplane.PublishAsync(cacheEvent);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning(e, "Could not tell the other instances about {Kind} {Name}", cacheEvent.Kind, cacheEvent.Name);
        }
    }

    private void OnEvent(CacheEvent cacheEvent)
    {
        _metrics?.BackplaneEvent();
        if (cacheEvent.Kind == CacheEvent.Key)
        {
            _local.Remove(cacheEvent.Name);
        }
        else if (cacheEvent.Kind == CacheEvent.Tag)
        {
            InvalidateTag(cacheEvent.Name, cacheEvent.At);
        }
    }

    private void InvalidateTag(string tag, long at)
    {
        _tagsInvalidatedAt.AddOrUpdate(tag, at, (_, known) => Math.Max(known, at));
        PruneTags();
    }

    /// <summary>
    /// How long an invalidation matters: no entry outlives the longest lifetime given here plus the fail-safe
    /// window, so an older invalidation has nothing left to void.
    /// </summary>
    private TimeSpan TagMemory => TimeSpan.FromMilliseconds(Interlocked.Read(ref _longestLifetimeMs)) + _options.FailSafeMaxDuration;

    private void RememberLifetime(HybridCacheEntryOptions? options)
    {
        var longest = (long)Math.Max((options?.Expiration ?? DefaultExpiration).TotalMilliseconds, (options?.LocalCacheExpiration ?? TimeSpan.Zero).TotalMilliseconds);
        long known;
        while (longest > (known = Interlocked.Read(ref _longestLifetimeMs)) && Interlocked.CompareExchange(ref _longestLifetimeMs, longest, known) != known)
        {
        }
    }

    /// <summary>
    /// Forgets invalidations older than <see cref="TagMemory"/>, at most once a minute: per-poll tags would otherwise
    /// pile up here, one for every poll ever changed.
    /// </summary>
    private void PruneTags()
    {
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var last = Interlocked.Read(ref _tagsPrunedAt);
        if (now - last < TagPruneInterval.TotalMilliseconds || Interlocked.CompareExchange(ref _tagsPrunedAt, now, last) != last)
        {
            return;
        }
        var horizon = now - (long)TagMemory.TotalMilliseconds;
        foreach (var (tag, at) in _tagsInvalidatedAt)
        {
            if (at < horizon)
            {
                _tagsInvalidatedAt.TryRemove(new KeyValuePair<string, long>(tag, at));
            }
        }
    }

    /// <summary>Invalidations remembered now (for tests of the pruning).</summary>
    internal int RememberedTags => _tagsInvalidatedAt.Count;

    private bool IsCurrent(Entry entry) => entry.Tags.All(tag => !_tagsInvalidatedAt.TryGetValue(tag, out var at) || entry.CreatedAt > at);

    private string TagKey(string tag) => _options.KeyPrefix + "tag:" + tag;

    /// <summary>Whether this entry goes to L2 at all: values that do not serialize, or are only worth keeping locally, opt out.</summary>
    private static bool Shared(HybridCacheEntryOptions? options) => options?.Flags?.HasFlag(HybridCacheEntryFlags.DisableDistributedCache) != true;

    /// <summary>
    /// How long a new local copy is fresh: the entry's local lifetime (for a shared entry, no longer than
    /// <see cref="LayeredCacheOptions.LocalCopyMaxDuration"/>), shortened at random by up to a tenth. Entries made
    /// together (a burst of new polls, an instance warming up) would otherwise all expire, and reload, in the same
    /// instant, and their readers queue behind hundreds of loads at once. Only ever shorter: every expiry here is a
    /// bound someone relies on (a poll view's ends when the poll closes).
    /// </summary>
    private TimeSpan LocalExpiration(HybridCacheEntryOptions? options)
    {
        var local = options?.LocalCacheExpiration ?? options?.Expiration ?? DefaultExpiration;
        var lifetime = _distributed is not null && Shared(options) && _options.LocalCopyMaxDuration is { } cap && cap < local ? cap : local;
        return lifetime * (1 - (ExpirationJitter * Random.Shared.NextDouble()));
    }
}
