using System.Diagnostics;
using IntegrationTests.Fixtures;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Shared.Caching;
using Shared.Redis;

namespace IntegrationTests.Caching;

/// <summary>The L1 + L2 cache on a real redis-server: stampedes, tags, fail-safe, corruption, the backplane, and Redis going away.</summary>
public sealed class LayeredCacheTests : IAsyncLifetime
{
    private readonly RedisServer _redis = new();
    private readonly List<IAsyncDisposable> _owned = [];

    public Task InitializeAsync() => _redis.InitializeAsync();

    public async Task DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }
        await _redis.DisposeAsync();
    }

    private static LayeredCacheOptions Options() => new()
    {
        FactorySoftTimeout = TimeSpan.FromMilliseconds(200),
        DistributedBreakDuration = TimeSpan.FromMilliseconds(500),
    };

    /// <summary>An instance's cache: L1 over Redis as L2, with the Redis backplane, as each Host instance has.</summary>
    private async Task<(LayeredCache Cache, RedisClient Redis)> InstanceAsync(LayeredCacheOptions? options = null, bool backplane = true)
    {
        var redis = new RedisClient(RedisOptions.Parse(_redis.ConnectionString(timeoutMilliseconds: 1000)), NullLogger<RedisClient>.Instance);
        var cache = new LayeredCache(Microsoft.Extensions.Options.Options.Create(options ?? Options()), TimeProvider.System, NullLogger<LayeredCache>.Instance,
            new RedisDistributedCache(redis, "", TimeProvider.System), backplane ? new RedisCacheBackplane(redis, "cache-events") : null);
        _owned.Add(redis);
        _owned.Add(cache);
        if (backplane)
        {
            await Eventually.GetAsync(async () => await redis.PublishAsync("cache-events", "\n"u8.ToArray()), n => n >= 1, "the backplane subscribed");
        }
        return (cache, redis);
    }

    private static HybridCacheEntryOptions For(TimeSpan expiration) => new() { Expiration = expiration, LocalCacheExpiration = expiration };

    [Fact]
    public async Task A_thousand_concurrent_misses_on_one_key_run_the_factory_once()
    {
        var (cache, _) = await InstanceAsync();
        var runs = 0;
        var values = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Task.Run(async () => await cache.GetOrCreateAsync("stampede", async ct =>
        {
            Interlocked.Increment(ref runs);
            await Task.Delay(200, ct);
            return "made once";
        }))));
        Assert.Equal(1, runs);
        Assert.All(values, v => Assert.Equal("made once", v));
    }

    [Fact]
    public async Task Removing_a_tag_invalidates_its_entries_here_and_in_other_instances_but_not_others()
    {
        var (a, _) = await InstanceAsync();
        var (b, _) = await InstanceAsync();
        var version = 1;
        ValueTask<string> Poll(CancellationToken _) => ValueTask.FromResult($"poll v{version}");
        Assert.Equal("poll v1", await a.GetOrCreateAsync("poll:1", Poll, tags: ["tenant:t1"]));
        Assert.Equal("poll v1", await b.GetOrCreateAsync("poll:1", Poll, tags: ["tenant:t1"]));
        Assert.Equal("other v1", await a.GetOrCreateAsync("poll:2", _ => ValueTask.FromResult("other v1"), tags: ["tenant:t2"]));
        version = 2;
        await a.RemoveByTagAsync("tenant:t1");
        Assert.Equal("poll v2", await a.GetOrCreateAsync("poll:1", Poll, tags: ["tenant:t1"]));
        await Eventually.GetAsync(async () => await b.GetOrCreateAsync("poll:1", Poll, tags: ["tenant:t1"]), v => v == "poll v2", "B drops the tagged entry", seconds: 2);
        Assert.Equal("other v1", await a.GetOrCreateAsync("poll:2", _ => ValueTask.FromResult("other v2"), tags: ["tenant:t2"]));
    }

    [Fact]
    public async Task A_failing_factory_serves_the_last_good_value_and_a_slow_one_serves_it_without_waiting()
    {
        var (cache, _) = await InstanceAsync();
        var options = For(TimeSpan.FromMilliseconds(100));
        Assert.Equal("good", await cache.GetOrCreateAsync("fragile", _ => ValueTask.FromResult("good"), options));
        await Task.Delay(200);
        Assert.Equal("good", await cache.GetOrCreateAsync<string>("fragile", _ => throw new InvalidOperationException("database down"), options));

        await Task.Delay(200);
        var clock = Stopwatch.StartNew();
        var slowDone = new TaskCompletionSource();
        Assert.Equal("good", await cache.GetOrCreateAsync("fragile", async ct =>
        {
            await Task.Delay(1500, ct);
            slowDone.SetResult();
            return "fresh";
        }, options));
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(1200), $"waited {clock.Elapsed}");
        // The slow factory finished in the background and refreshed the entry.
        await slowDone.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await Eventually.GetAsync(async () => await cache.GetOrCreateAsync<string>("fragile", _ => throw new InvalidOperationException(), For(TimeSpan.FromSeconds(10))),
            v => v == "fresh", "the refreshed value");
    }

    [Fact]
    public async Task A_value_in_redis_that_does_not_read_is_a_miss_not_an_error()
    {
        var (cache, redis) = await InstanceAsync();
        await redis.SetAsync("corrupt", "\u0000\u0001 not json at all"u8.ToArray());
        Assert.Equal(42, await cache.GetOrCreateAsync("corrupt", _ => ValueTask.FromResult(42)));
        var (other, _) = await InstanceAsync();
        Assert.Equal(42, await other.GetOrCreateAsync<int>("corrupt", _ => throw new InvalidOperationException("should come from L2 now")));
    }

    [Fact]
    public async Task A_change_through_one_instance_is_seen_by_another_within_100_ms()
    {
        var (a, _) = await InstanceAsync();
        var (b, _) = await InstanceAsync();
        var lasting = For(TimeSpan.FromMinutes(5));
        await a.SetAsync("shared", "v0", lasting);
        Assert.Equal("v0", await b.GetOrCreateAsync<string>("shared", _ => throw new InvalidOperationException(), lasting));
        // The median of several changes, so that one scheduling hiccup on a busy test machine does not decide it.
        var delays = new List<TimeSpan>();
        for (var i = 1; i <= 5; i++)
        {
            await a.SetAsync("shared", $"v{i}", lasting);
            var clock = Stopwatch.StartNew();
            await Eventually.GetAsync(async () => await b.GetOrCreateAsync<string>("shared", _ => throw new InvalidOperationException(), lasting),
                v => v == $"v{i}", "B sees A's change", seconds: 2);
            delays.Add(clock.Elapsed);
        }
        var median = delays.Order().ElementAt(2);
        Assert.True(median < TimeSpan.FromMilliseconds(100), $"median {median}; all {string.Join(", ", delays)}");
        await a.RemoveAsync("shared");
        await Eventually.GetAsync(async () => await b.GetOrCreateAsync("shared", _ => ValueTask.FromResult("made by B")), v => v == "made by B", "B drops the removed key");
    }

    [Fact]
    public async Task With_local_copies_trusted_for_no_time_every_read_of_a_shared_entry_asks_redis()
    {
        var capped = Options();
        capped.LocalCopyMaxDuration = TimeSpan.Zero;
        var (reader, _) = await InstanceAsync(capped);
        var (trusting, _) = await InstanceAsync();
        // Writes that no backplane announces, as if the message had been lost.
        var (silent, _) = await InstanceAsync(backplane: false);
        var lasting = For(TimeSpan.FromMinutes(5));
        ValueTask<string> Unreachable(CancellationToken _) => throw new InvalidOperationException("the value is in Redis");

        await silent.SetAsync("capped", "v1", lasting);
        Assert.Equal("v1", await reader.GetOrCreateAsync("capped", Unreachable, lasting));
        Assert.Equal("v1", await trusting.GetOrCreateAsync("capped", Unreachable, lasting));
        await silent.SetAsync("capped", "v2", lasting);
        Assert.Equal("v2", await reader.GetOrCreateAsync("capped", Unreachable, lasting));
        Assert.Equal("v1", await trusting.GetOrCreateAsync("capped", Unreachable, lasting));

        // An entry that only this instance holds keeps its local lifetime: there is nowhere else to read it from.
        var made = 0;
        var localOnly = new HybridCacheEntryOptions { Expiration = TimeSpan.FromMinutes(5), Flags = HybridCacheEntryFlags.DisableDistributedCache };
        for (var i = 0; i < 3; i++)
        {
            await reader.GetOrCreateAsync("local-only", _ => ValueTask.FromResult(++made), localOnly);
        }
        Assert.Equal(1, made);
    }

    [Fact]
    public async Task With_redis_down_the_cache_works_from_memory_and_the_factory_and_recovers_by_itself()
    {
        var (a, _) = await InstanceAsync();
        _redis.Kill();
        var made = 0;
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("from the database", await a.GetOrCreateAsync($"down:{i % 2}", _ =>
            {
                Interlocked.Increment(ref made);
                return ValueTask.FromResult("from the database");
            }));
            await a.SetAsync($"written:{i}", i);
        }
        Assert.Equal(2, made);

        await _redis.StartAsync();
        await Task.Delay(Options().DistributedBreakDuration * 2);
        var (fresh, _) = await InstanceAsync();
        // Writes reach Redis again: a new instance finds A's value in L2 without running its factory.
        await Eventually.GetAsync(async () =>
        {
            await a.SetAsync("after-recovery", "shared again");
            return await fresh.GetOrCreateAsync("after-recovery", _ => ValueTask.FromResult("not shared"));
        }, v => v == "shared again", "L2 in use again", seconds: 15);
    }

    [Fact]
    public async Task Entries_made_together_expire_spread_over_the_last_tenth_of_their_lifetime_never_later()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var start = clock.Now;
        var lifetime = For(TimeSpan.FromSeconds(10));
        // Each value is the time it was made, so a read tells whether it waited for a reload (a value made now) or
        // was served the entry in hand (made at the start; a renewal may run behind it).
        async Task<int> MadeNowAsync(LayeredCache cache)
        {
            var count = 0;
            for (var i = 0; i < 100; i++)
            {
                if (await cache.GetOrCreateAsync($"together:{i}", _ => ValueTask.FromResult(clock.Now), lifetime) == clock.Now)
                {
                    count++;
                }
            }
            return count;
        }

        await using var spread = new LayeredCache(Microsoft.Extensions.Options.Options.Create(Options()), clock, NullLogger<LayeredCache>.Instance);
        await using var late = new LayeredCache(Microsoft.Extensions.Options.Options.Create(Options()), clock, NullLogger<LayeredCache>.Instance);
        Assert.Equal(100, await MadeNowAsync(spread));
        Assert.Equal(100, await MadeNowAsync(late));
        clock.Now = start + TimeSpan.FromSeconds(8);
        Assert.Equal(0, await MadeNowAsync(spread));
        clock.Now = start + TimeSpan.FromSeconds(9.5);
        Assert.InRange(await MadeNowAsync(spread), 10, 90);
        clock.Now = start + TimeSpan.FromSeconds(10);
        Assert.Equal(100, await MadeNowAsync(late));
    }

    [Fact]
    public async Task A_read_late_in_an_entrys_life_renews_it_in_the_background_without_waiting()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var cache = new LayeredCache(Microsoft.Extensions.Options.Options.Create(Options()), clock, NullLogger<LayeredCache>.Instance);
        var lifetime = For(TimeSpan.FromSeconds(10));
        var made = 0;
        var renewal = new TaskCompletionSource();
        async ValueTask<string> Factory(CancellationToken _)
        {
            if (Interlocked.Increment(ref made) == 1)
            {
                return "v1";
            }
            await renewal.Task;
            return "v2";
        }

        Assert.Equal("v1", await cache.GetOrCreateAsync("renewed", Factory, lifetime));
        var start = clock.Now;
        clock.Now = start + TimeSpan.FromSeconds(8);
        Assert.Equal("v1", await cache.GetOrCreateAsync("renewed", Factory, lifetime));
        Assert.Equal(1, made);
        // Past nine tenths of its (at most 10 s) life, still fresh: the reader gets v1 at once, and a renewal starts.
        clock.Now = start + TimeSpan.FromSeconds(8.99);
        Assert.Equal("v1", await cache.GetOrCreateAsync("renewed", Factory, lifetime).AsTask().WaitAsync(TimeSpan.FromSeconds(1)));
        Assert.Equal(2, made);
        renewal.SetResult();
        await Eventually.GetAsync(async () => await cache.GetOrCreateAsync("renewed", Factory, lifetime), v => v == "v2", "the renewed value");
        // Renewed at 8.99 s, so fresh well past the first entry's end, with no further load.
        clock.Now = start + TimeSpan.FromSeconds(12);
        Assert.Equal("v2", await cache.GetOrCreateAsync("renewed", Factory, lifetime));
        Assert.Equal(2, made);
    }

    [Fact]
    public async Task Invalidations_are_forgotten_once_no_entry_can_be_older_and_expire_in_redis_too()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var options = Options();
        await using var cache = new LayeredCache(Microsoft.Extensions.Options.Options.Create(options), clock, NullLogger<LayeredCache>.Instance);
        var lifetime = TimeSpan.FromMinutes(2);
        await cache.GetOrCreateAsync("tagged", _ => ValueTask.FromResult(1), For(lifetime), ["poll:0"]);
        for (var i = 0; i < 100; i++)
        {
            await cache.RemoveByTagAsync($"poll:{i}");
        }
        Assert.Equal(100, cache.RememberedTags);

        // Still within the default lifetime (5 min, longer than this entry's) plus the fail-safe window: kept.
        clock.Now += TimeSpan.FromMinutes(9);
        await cache.RemoveByTagAsync("poll:new");
        Assert.Equal(101, cache.RememberedTags);
        clock.Now += options.FailSafeMaxDuration;
        await cache.RemoveByTagAsync("poll:newer");
        Assert.Equal(2, cache.RememberedTags);

        var (shared, redis) = await InstanceAsync();
        await shared.RemoveByTagAsync("poll:in-redis");
        var expiresIn = (long)(await redis.EvaluateAsync(new RedisScript("return redis.call('PTTL', KEYS[1])"), [Options().KeyPrefix + "tag:poll:in-redis"]))!;
        Assert.InRange(expiresIn, 1, (long)(TimeSpan.FromMinutes(5) + options.FailSafeMaxDuration).TotalMilliseconds);
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task Without_redis_it_is_a_local_cache()
    {
        await using var cache = new LayeredCache(Microsoft.Extensions.Options.Options.Create(Options()), TimeProvider.System, NullLogger<LayeredCache>.Instance);
        var runs = 0;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("local", await cache.GetOrCreateAsync("k", _ => ValueTask.FromResult(++runs > 0 ? "local" : "")));
        }
        Assert.Equal(1, runs);
        await cache.RemoveAsync("k");
        await cache.GetOrCreateAsync("k", _ => ValueTask.FromResult(++runs > 0 ? "local" : ""));
        Assert.Equal(2, runs);
    }
}
