using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using IntegrationTests.Fixtures;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging.Abstractions;
using Shared.Redis;

namespace IntegrationTests.Redis;

/// <summary>Our RESP client against a real redis-server: concurrency, payloads, scripts, pub/sub, and Redis dying mid-traffic.</summary>
public sealed class RedisClientTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private RedisClient _client = null!;

    public Task InitializeAsync()
    {
        // A patient timeout: these tests are about answers, and the test machine is busy with other suites.
        _client = new RedisClient(RedisOptions.Parse(redis.ConnectionString(timeoutMilliseconds: 5000)), NullLogger<RedisClient>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _client.DisposeAsync();

    [Fact]
    public async Task The_client_does_its_io_on_the_thread_pool_whatever_context_creates_it()
    {
        var context = new CountingContext();
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(context);
        RedisClient client;
        try
        {
            client = new RedisClient(RedisOptions.Parse(redis.ConnectionString(timeoutMilliseconds: 5000)), NullLogger<RedisClient>.Instance);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
        await using (client)
        {
            await Task.Run(async () =>
            {
                for (var i = 0; i < 100; i++)
                {
                    await client.SetAsync($"context:{i}", "v"u8.ToArray());
                }
            });
        }
        Assert.Equal(0, context.Posts);
    }

    [Fact]
    public async Task A_client_disposed_while_it_is_still_connecting_stops_quietly()
    {
        // A server that accepts the connection and never answers: the client is still in its handshake (AUTH).
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        var client = new RedisClient(RedisOptions.Parse($"127.0.0.1:{port},password=secret,timeout=500"), NullLogger<RedisClient>.Instance);
        using var accepted = await silent.AcceptSocketAsync().WaitAsync(TimeSpan.FromSeconds(5));
        await client.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
    }

    /// <summary>A context that counts the work queued to it, as a UI's or a test runner's would take it.</summary>
    private sealed class CountingContext : SynchronizationContext
    {
        private int _posts;

        public int Posts => _posts;

        public override void Post(SendOrPostCallback d, object? state)
        {
            Interlocked.Increment(ref _posts);
            base.Post(d, state);
        }
    }

    [Fact]
    public async Task Thousands_of_concurrent_callers_on_one_connection_each_get_their_own_answer()
    {
        var prefix = Guid.NewGuid().ToString("N");
        await Parallel.ForAsync(0, 5000, new ParallelOptions { MaxDegreeOfParallelism = 500 }, async (i, _) =>
        {
            var key = $"{prefix}:{i}";
            Assert.True(await _client.SetAsync(key, Encoding.UTF8.GetBytes($"value-{i}")));
            Assert.Equal($"value-{i}", Encoding.UTF8.GetString((await _client.GetAsync(key))!));
        });
        var counter = $"{prefix}:counter";
        await Parallel.ForAsync(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 200 }, async (_, _) => await _client.IncrementAsync(counter));
        Assert.Equal(2001, await _client.IncrementAsync(counter));
    }

    [Fact]
    public async Task Large_and_binary_values_come_back_byte_for_byte()
    {
        var large = new byte[1 << 20];
        Random.Shared.NextBytes(large);
        var binary = Enumerable.Range(0, 256).Select(b => (byte)b).Concat("\r\n$-1\r\n*3\r\n"u8.ToArray()).ToArray();
        var key = Guid.NewGuid().ToString("N");
        await _client.SetAsync(key + ":large", large);
        await _client.SetAsync(key + ":binary", binary);
        await _client.SetAsync(key + ":empty", Array.Empty<byte>());
        Assert.Equal(large, await _client.GetAsync(key + ":large"));
        Assert.Equal(binary, await _client.GetAsync(key + ":binary"));
        Assert.Equal(Array.Empty<byte>(), await _client.GetAsync(key + ":empty"));
        Assert.Null(await _client.GetAsync(key + ":missing"));
    }

    [Fact]
    public async Task Set_with_nx_and_px_expire_unlink_and_typed_errors_behave_as_redis_does()
    {
        var key = Guid.NewGuid().ToString("N");
        Assert.True(await _client.SetAsync(key, "first"u8.ToArray(), onlyIfAbsent: true));
        Assert.False(await _client.SetAsync(key, "second"u8.ToArray(), onlyIfAbsent: true));
        Assert.Equal("first"u8.ToArray(), await _client.GetAsync(key));
        await _client.SetAsync(key + ":short", "x"u8.ToArray(), TimeSpan.FromMilliseconds(100));
        Assert.True(await _client.ExpireAsync(key, TimeSpan.FromMilliseconds(100)));
        await Task.Delay(300);
        Assert.Null(await _client.GetAsync(key));
        Assert.Null(await _client.GetAsync(key + ":short"));
        await _client.SetAsync(key + ":a", "1"u8.ToArray());
        await _client.SetAsync(key + ":b", "2"u8.ToArray());
        Assert.Equal(2, await _client.DeleteAsync(key + ":a", key + ":b", key + ":c"));

        await _client.EvaluateAsync(new RedisScript("return redis.call('LPUSH', KEYS[1], 'x')"), [key + ":list"]);
        var wrongType = await Assert.ThrowsAsync<RedisServerException>(() => _client.GetAsync(key + ":list"));
        Assert.Equal("WRONGTYPE", wrongType.Kind);
        await _client.SetAsync(key + ":text", "abc"u8.ToArray());
        Assert.Equal("ERR", (await Assert.ThrowsAsync<RedisServerException>(() => _client.IncrementAsync(key + ":text"))).Kind);
    }

    [Fact]
    public async Task Scripts_run_by_sha_and_are_loaded_when_redis_does_not_know_them()
    {
        // A fresh script is unknown to Redis: the first EVALSHA meets NOSCRIPT, and the client loads it and runs it.
        var script = new RedisScript("local n = redis.call('INCRBY', KEYS[1], ARGV[1]) redis.call('PEXPIRE', KEYS[1], ARGV[2]) return n");
        var key = Guid.NewGuid().ToString("N");
        Assert.Equal(5L, await _client.EvaluateAsync(script, [key], 5, 10_000));
        Assert.Equal(7L, await _client.EvaluateAsync(script, [key], 2, 10_000));
        Assert.Equal("OK", await _client.EvaluateAsync(new RedisScript("return redis.call('SET', KEYS[1], ARGV[1])"), [key + ":s"], "v"));
    }
}

/// <summary>Redis restarted under the client: its own server, since these tests kill it.</summary>
public sealed class RedisOutageTests : IAsyncLifetime
{
    private readonly RedisServer _redis = new();
    private RedisClient _client = null!;

    public async Task InitializeAsync()
    {
        await _redis.InitializeAsync();
        _client = new RedisClient(RedisOptions.Parse(_redis.ConnectionString(timeoutMilliseconds: 300)), NullLogger<RedisClient>.Instance);
        // Connected and warm before the tests start: the first command (connection, code compiled on first use) can
        // take longer than the short timeout these tests use on purpose.
        await Eventually.GetAsync(async () =>
        {
            try
            {
                await _client.PingAsync();
                return true;
            }
            catch (RedisException)
            {
                return false;
            }
        }, answered => answered, "the client answered once");
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Killed_mid_traffic_callers_fail_fast_and_the_client_recovers_by_itself_with_scripts_and_subscriptions()
    {
        var received = new ConcurrentQueue<string>();
        await using var subscription = await _client.SubscribeAsync("news", m => received.Enqueue(Encoding.UTF8.GetString(m.Span)));
        var script = new RedisScript("return redis.call('INCR', KEYS[1])");
        await Eventually.GetAsync(async () => await _client.PublishAsync("news", "before"u8.ToArray()), n => n == 1, "subscribed");
        await Eventually.GetAsync(() => Task.FromResult(received.Contains("before")), seen => seen, "the message before the outage");
        Assert.Equal(1L, await _client.EvaluateAsync(script, ["n"]));

        // Traffic from 64 callers; Redis is killed in the middle of it.
        using var stop = new CancellationTokenSource();
        var slowest = TimeSpan.Zero;
        var slowestWas = "";
        var sinceStart = Stopwatch.StartNew();
        var failures = 0;
        // On the thread pool, not xunit's synchronization context, whose two threads would add their own queueing to the timings.
        var traffic = Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var clock = Stopwatch.StartNew();
                var outcome = "ok";
                try
                {
                    await _client.SetAsync($"k{i}", "v"u8.ToArray());
                }
                catch (RedisException e)
                {
                    Interlocked.Increment(ref failures);
                    outcome = e.GetType().Name + " " + e.Message;
                }
                lock (stop)
                {
                    if (clock.Elapsed > slowest)
                    {
                        slowest = clock.Elapsed;
                        slowestWas = $"{outcome} started at {sinceStart.Elapsed - clock.Elapsed}";
                    }
                }
                // A caller that paces itself, as a request handler would between requests.
                await Task.Delay(5);
            }
        })));
        await Task.Delay(300);
        var killedAt = sinceStart.Elapsed;
        _redis.Kill();
        await Task.Delay(1000);
        var restartedAt = sinceStart.Elapsed;
        await _redis.StartAsync();

        // Back by itself: commands succeed, scripts are reloaded (the new server has none), subscriptions renewed.
        await Eventually.GetAsync(async () =>
        {
            try
            {
                return await _client.EvaluateAsync(script, ["n"]);
            }
            catch (RedisException)
            {
                return null;
            }
        }, n => n is 1L, "a script on the restarted server", seconds: 15);
        await Eventually.GetAsync(async () => await _client.PublishAsync("news", "after"u8.ToArray()), n => n == 1, "resubscribed", seconds: 15);
        await Eventually.GetAsync(() => Task.FromResult(received.Contains("after")), seen => seen, "the message after the outage");
        await stop.CancelAsync();
        await traffic;

        Assert.True(failures > 0, "the outage was felt");
        // Nobody hung: every call returned or failed, the slowest within a few command timeouts (300 ms each; the
        // margin is for a loaded test machine, not for the client, which gives up after one or two).
        Assert.True(slowest < TimeSpan.FromSeconds(5), $"slowest call {slowest}: {slowestWas}; killed at {killedAt}, restarted at {restartedAt}");
    }

    [Fact]
    public async Task The_distributed_cache_keeps_entries_until_they_expire_and_slides_sliding_ones()
    {
        var cache = new RedisDistributedCache(_client, "test:", TimeProvider.System);
        // Reads 500 ms apart keep a 1.5 s sliding entry alive past 1.5 s (with a second to spare for a stalled test
        // machine), while the absolute one expires.
        var lifetime = TimeSpan.FromMilliseconds(1500);
        await cache.SetAsync("a", [1, 2, 3], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = lifetime });
        await cache.SetAsync("s", [4], new DistributedCacheEntryOptions { SlidingExpiration = lifetime });
        Assert.Equal([1, 2, 3], await cache.GetAsync("a"));
        for (var i = 0; i < 4; i++)
        {
            await Task.Delay(500);
            Assert.Equal([4], await cache.GetAsync("s"));
        }
        Assert.Null(await cache.GetAsync("a"));
        await cache.RemoveAsync("s");
        Assert.Null(await cache.GetAsync("s"));
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        await cache.SetAsync("b", new System.Buffers.ReadOnlySequence<byte>([9, 9]), new DistributedCacheEntryOptions());
        Assert.True(await cache.TryGetAsync("b", buffer));
        Assert.Equal([9, 9], buffer.WrittenSpan.ToArray());
    }
}
