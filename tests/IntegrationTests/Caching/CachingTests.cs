using System.Diagnostics;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shared.Caching;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson;

namespace IntegrationTests.Caching;

/// <summary>
/// Our set-up of FusionCache (L1 + Redis L2 + Redis backplane, as each Host instance has it) on a real redis-server:
/// stampedes, tags, fail-safe, eager refresh, values that do not read, the backplane, and Redis going away.
/// </summary>
public sealed class CachingTests : IAsyncLifetime
{
    private readonly RedisServer _redis = new();
    private readonly string _prefix = $"test:{Guid.NewGuid():N}:";
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

    /// <summary>An instance's cache, made by the Host's own <see cref="CachingSetup.AddPlatformCaching"/>.</summary>
    private async Task<HybridCache> InstanceAsync(Dictionary<string, string?>? settings = null, bool redis = true)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis ? _redis.ConnectionString(timeoutMilliseconds: 1000) : null,
            ["Caching:KeyPrefix"] = _prefix,
            ["Caching:FactorySoftTimeout"] = "00:00:00.200",
            ["Caching:DistributedBreakDuration"] = "00:00:00.500",
        };
        foreach (var (key, value) in settings ?? [])
        {
            configuration[key] = value;
        }
        var before = redis ? await BackplaneSubscribersAsync() : 0;
        var provider = new ServiceCollection().AddLogging()
            .AddPlatformCaching(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build())
            .BuildServiceProvider();
        _owned.Add(provider);
        var cache = provider.GetRequiredService<HybridCache>();
        if (redis)
        {
            // FusionCache subscribes as it is made, in the background.
            await Eventually.GetAsync(BackplaneSubscribersAsync, n => n > before, "the backplane subscribed");
        }
        return cache;
    }

    private async Task<long> BackplaneSubscribersAsync()
    {
        await using var redis = await _redis.ConnectAsync();
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        var channels = (RedisResult[])(await server.ExecuteAsync("PUBSUB", "CHANNELS", _prefix + "*"))!;
        if (channels.Length == 0)
        {
            return 0;
        }
        var counts = (RedisResult[])(await server.ExecuteAsync("PUBSUB", ["NUMSUB", .. channels.Select(c => (object)c.ToString())]))!;
        return counts.Where((_, i) => i % 2 == 1).Sum(c => (long)c);
    }

    private async Task<RedisKey[]> RedisKeysAsync(string containing)
    {
        await using var redis = await _redis.ConnectAsync();
        return redis.GetServer(redis.GetEndPoints()[0]).Keys(pattern: $"*{containing}*").ToArray();
    }

    private static HybridCacheEntryOptions For(TimeSpan expiration) => new() { Expiration = expiration, LocalCacheExpiration = expiration };

    [Fact]
    public async Task A_thousand_concurrent_misses_run_the_factory_once_per_instance_at_most()
    {
        var a = await InstanceAsync();
        var b = await InstanceAsync();
        var runs = 0;
        var values = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => Task.Run(async () => await (i % 2 == 0 ? a : b).GetOrCreateAsync("stampede", async ct =>
        {
            Interlocked.Increment(ref runs);
            await Task.Delay(200, ct);
            return "made once";
        }))));
        Assert.InRange(runs, 1, 2);
        Assert.All(values, v => Assert.Equal("made once", v));
    }

    [Fact]
    public async Task Removing_a_tag_invalidates_its_entries_here_and_in_other_instances_but_not_others()
    {
        var a = await InstanceAsync();
        var b = await InstanceAsync();
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

    /// <summary>
    /// A load makes what any instance would load: announcing it would only make the others drop their copies and load
    /// again (and their loads would drop this one's). A removal is news, and reaches every instance.
    /// </summary>
    [Fact]
    public async Task A_load_on_one_instance_leaves_the_other_instances_copies_alone_and_a_removal_still_reaches_them()
    {
        var a = await InstanceAsync();
        var b = await InstanceAsync();
        var inMemory = new HybridCacheEntryOptions { Expiration = TimeSpan.FromMinutes(5), Flags = HybridCacheEntryFlags.DisableDistributedCache };
        var loadsOnB = 0;
        ValueTask<string> LoadOnB(CancellationToken _) => ValueTask.FromResult($"B's load {Interlocked.Increment(ref loadsOnB)}");
        Assert.Equal("B's load 1", await b.GetOrCreateAsync("in-memory", LoadOnB, inMemory));

        Assert.Equal("A's load", await a.GetOrCreateAsync("in-memory", _ => ValueTask.FromResult("A's load"), inMemory));
        // The backplane carries a message in a millisecond or two: had A announced its load, B would have dropped its copy by now.
        await Task.Delay(300);
        Assert.Equal("B's load 1", await b.GetOrCreateAsync("in-memory", LoadOnB, inMemory));

        await a.RemoveAsync("in-memory");
        await Eventually.GetAsync(async () => await b.GetOrCreateAsync("in-memory", LoadOnB, inMemory), v => v == "B's load 2", "B drops the removed key", seconds: 2);
    }

    /// <summary>
    /// What a tag drops was dropped on purpose (a revoked API key, a closed poll): when the reload then fails, a database
    /// down say, the caller must get the failure, not the dropped value back from fail-safe.
    /// </summary>
    [Fact]
    public async Task An_entry_dropped_by_its_tag_is_not_served_again_when_its_reload_fails_here_or_in_other_instances()
    {
        var a = await InstanceAsync();
        var b = await InstanceAsync();
        var options = For(TimeSpan.FromMinutes(5));
        Assert.Equal("holder", await a.GetOrCreateAsync("key:1", _ => ValueTask.FromResult("holder"), options, ["key:1"]));
        Assert.Equal("holder", await b.GetOrCreateAsync("key:1", _ => ValueTask.FromResult("holder"), options, ["key:1"]));
        await a.RemoveByTagAsync("key:1");

        ValueTask<string> DatabaseDown(CancellationToken _) => throw new InvalidOperationException("database down");
        async Task<string> ReadAsync(HybridCache cache)
        {
            try
            {
                return await cache.GetOrCreateAsync("key:1", DatabaseDown, options, ["key:1"]);
            }
            catch (InvalidOperationException e)
            {
                return e.Message;
            }
        }
        Assert.Equal("database down", await ReadAsync(a));
        await Eventually.GetAsync(() => ReadAsync(b), v => v == "database down", "B no longer serves the dropped entry", seconds: 2);
        Assert.Equal("database down", await ReadAsync(b));
    }

    [Fact]
    public async Task A_failing_factory_serves_the_last_good_value_and_a_slow_one_serves_it_without_waiting()
    {
        var cache = await InstanceAsync();
        var options = For(TimeSpan.FromMilliseconds(100));
        Assert.Equal("good", await cache.GetOrCreateAsync("fragile", _ => ValueTask.FromResult("good"), options));
        await Task.Delay(200);
        Assert.Equal("good", await cache.GetOrCreateAsync<string>("fragile", _ => throw new InvalidOperationException("database down"), options));

        // Past the fail-safe throttle, the factory is tried again: a slow one is left to finish in the background.
        await Task.Delay(1200);
        var clock = Stopwatch.StartNew();
        var slowDone = new TaskCompletionSource();
        Assert.Equal("good", await cache.GetOrCreateAsync("fragile", async ct =>
        {
            await Task.Delay(1500, ct);
            slowDone.SetResult();
            return "fresh";
        }, options));
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(1200), $"waited {clock.Elapsed}");
        await slowDone.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await Eventually.GetAsync(async () => await cache.GetOrCreateAsync<string>("fragile", _ => throw new InvalidOperationException(), For(TimeSpan.FromSeconds(10))),
            v => v == "fresh", "the refreshed value");
    }

    [Fact]
    public async Task A_value_in_redis_that_does_not_read_is_a_miss_not_an_error()
    {
        var writer = await InstanceAsync();
        await writer.SetAsync("corrupt", 41);
        await using (var redis = await _redis.ConnectAsync())
        {
            foreach (var key in await RedisKeysAsync("corrupt"))
            {
                // Microsoft's Redis IDistributedCache keeps the value in the hash field "data".
                await redis.GetDatabase().HashSetAsync(key, "data", "\u0000\u0001 not a FusionCache entry at all"u8.ToArray());
            }
        }
        var reader = await InstanceAsync();
        Assert.Equal(42, await reader.GetOrCreateAsync("corrupt", _ => ValueTask.FromResult(42)));
        var other = await InstanceAsync();
        Assert.Equal(42, await other.GetOrCreateAsync<int>("corrupt", _ => throw new InvalidOperationException("should come from L2 now")));
    }

    [Fact]
    public async Task A_change_through_one_instance_is_seen_by_another_within_100_ms()
    {
        var a = await InstanceAsync();
        var b = await InstanceAsync();
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
        var reader = await InstanceAsync(new() { ["Caching:LocalCopyMaxDuration"] = "00:00:00" });
        var trusting = await InstanceAsync();
        // Writes that no backplane announces, as if the message had been lost: FusionCache on the same Redis and keys, without one.
        using var silent = new FusionCache(new FusionCacheOptions());
        var l2 = new Microsoft.Extensions.Caching.StackExchangeRedis.RedisCache(new Microsoft.Extensions.Caching.StackExchangeRedis.RedisCacheOptions
        {
            Configuration = _redis.ConnectionString(),
            InstanceName = _prefix,
        });
        silent.SetupDistributedCache(l2, new FusionCacheSystemTextJsonSerializer());
        var lasting = For(TimeSpan.FromMinutes(5));
        ValueTask<string> Unreachable(CancellationToken _) => throw new InvalidOperationException("the value is in Redis");

        await silent.SetAsync("capped", "v1", TimeSpan.FromMinutes(5));
        Assert.Equal("v1", await reader.GetOrCreateAsync("capped", Unreachable, lasting));
        Assert.Equal("v1", await trusting.GetOrCreateAsync("capped", Unreachable, lasting));
        await silent.SetAsync("capped", "v2", TimeSpan.FromMinutes(5));
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
    public async Task With_redis_down_the_cache_answers_at_once_from_memory_and_the_factory_and_recovers_by_itself()
    {
        var a = await InstanceAsync();
        await _redis.KillAsync();
        var made = 0;
        var slow = new List<TimeSpan>();
        for (var i = 0; i < 20; i++)
        {
            var clock = Stopwatch.StartNew();
            Assert.Equal("from the database", await a.GetOrCreateAsync($"down:{i % 2}", _ =>
            {
                Interlocked.Increment(ref made);
                return ValueTask.FromResult("from the database");
            }));
            await a.SetAsync($"written:{i}", i);
            if (clock.Elapsed > TimeSpan.FromMilliseconds(50))
            {
                slow.Add(clock.Elapsed);
            }
        }
        Assert.Equal(2, made);
        // At most the first call pays for finding Redis gone; the breaker spares the rest.
        Assert.True(slow.Count <= 1, $"slow calls: {string.Join(", ", slow)}");

        await _redis.StartAsync();
        var fresh = await InstanceAsync();
        // Writes reach Redis again: a new instance finds A's value in L2 without running its factory.
        await Eventually.GetAsync(async () =>
        {
            await a.SetAsync("after-recovery", "shared again");
            return await fresh.GetOrCreateAsync("after-recovery", _ => ValueTask.FromResult("not shared"), For(TimeSpan.FromMilliseconds(200)));
        }, v => v == "shared again", "L2 in use again", seconds: 15);
    }

    [Fact]
    public async Task A_read_late_in_an_entrys_life_renews_it_in_the_background_without_waiting()
    {
        var cache = await InstanceAsync();
        var lifetime = For(TimeSpan.FromSeconds(2));
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

        var start = Stopwatch.StartNew();
        Assert.Equal("v1", await cache.GetOrCreateAsync("renewed", Factory, lifetime));
        await Task.Delay(1000);
        Assert.Equal("v1", await cache.GetOrCreateAsync("renewed", Factory, lifetime));
        Assert.Equal(1, made);
        // Past nine tenths of its life, still fresh: the reader gets v1 at once, and a renewal starts.
        await Task.Delay(TimeSpan.FromMilliseconds(1870) - start.Elapsed);
        Assert.Equal("v1", await cache.GetOrCreateAsync("renewed", Factory, lifetime).AsTask().WaitAsync(TimeSpan.FromMilliseconds(500)));
        await Eventually.GetAsync(() => Task.FromResult(made), n => n == 2, "a renewal started");
        renewal.SetResult();
        await Eventually.GetAsync(async () => await cache.GetOrCreateAsync("renewed", Factory, lifetime), v => v == "v2", "the renewed value");
        Assert.Equal(2, made);
    }

    [Fact]
    public async Task Tag_invalidations_expire_in_redis_once_no_entry_can_be_older()
    {
        var cache = await InstanceAsync();
        await cache.RemoveByTagAsync("poll:in-redis");
        var keys = await RedisKeysAsync("poll:in-redis");
        Assert.NotEmpty(keys);
        await using var redis = await _redis.ConnectAsync();
        var settings = new CachingOptions();
        foreach (var key in keys)
        {
            var ttl = await redis.GetDatabase().KeyTimeToLiveAsync(key);
            Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(1), settings.LongestEntryLifetime + settings.FailSafeMaxDuration);
        }
    }

    [Fact]
    public void Lifetimes_are_cut_to_the_longest_allowed_and_local_copies_of_shared_entries_to_their_cap()
    {
        var settings = new CachingOptions { LongestEntryLifetime = TimeSpan.FromMinutes(10), LocalCopyMaxDuration = TimeSpan.FromSeconds(30) };
        using var fusion = new FusionCache(new FusionCacheOptions());
        var cache = new BoundedLifetimes(fusion, settings);
        var within = new HybridCacheEntryOptions { Expiration = TimeSpan.FromSeconds(20), LocalCacheExpiration = TimeSpan.FromSeconds(20) };
        var localOnly = new HybridCacheEntryOptions { Expiration = TimeSpan.FromMinutes(5), Flags = HybridCacheEntryFlags.DisableDistributedCache };

        static (TimeSpan Local, TimeSpan InRedis, bool RedisSkipped) Lifetimes(FusionCacheEntryOptions entry) =>
            (entry.MemoryCacheDuration!.Value, entry.Duration, entry.SkipDistributedCacheRead && entry.SkipDistributedCacheWrite);
        Assert.Equal((TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(20), false), Lifetimes(cache.EntryOptions(within)));
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10), false), Lifetimes(cache.EntryOptions(For(TimeSpan.FromHours(1)))));
        Assert.Equal((TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5), true), Lifetimes(cache.EntryOptions(localOnly)));
        Assert.Equal((TimeSpan.FromSeconds(30), BoundedLifetimes.DefaultExpiration, false), Lifetimes(cache.EntryOptions(null)));
        // Made once per options object: a read allocates none.
        Assert.Same(cache.EntryOptions(within), cache.EntryOptions(within));
    }

    [Fact]
    public async Task Without_redis_it_is_a_local_cache()
    {
        var cache = await InstanceAsync(redis: false);
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
