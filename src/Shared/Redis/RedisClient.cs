using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Shared.Redis;

/// <summary>A Lua script, known to Redis by its SHA-1 once loaded.</summary>
public sealed class RedisScript(string source)
{
    public string Source { get; } = source;

    public string Sha1 { get; } = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(source)));
}

/// <summary>
/// The product's Redis client: commands over one multiplexed, pipelined connection, and pub/sub over a second one
/// whose subscriptions are renewed after every reconnect. Thread-safe; one per process.
/// </summary>
public sealed class RedisClient : IAsyncDisposable
{
    private readonly RedisConnection _commands;
    private readonly RedisConnection _subscriber;
    private readonly ConcurrentDictionary<string, ImmutableList<Action<ReadOnlyMemory<byte>>>> _handlers = new(StringComparer.Ordinal);
    private readonly ILogger _logger;

    public RedisClient(RedisOptions options, ILogger<RedisClient> logger)
    {
        _logger = logger;
        _commands = new RedisConnection(options, _ => Task.CompletedTask, logger);
        _subscriber = new RedisConnection(options, ResubscribeAsync, logger);
    }

    public async Task<byte[]?> GetAsync(string key) => (await ExecuteAsync("GET", key)).Bytes;

    /// <summary>SET with an optional expiry (PX) and NX; false when NX found the key present.</summary>
    public async Task<bool> SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? expiry = null, bool onlyIfAbsent = false)
    {
        List<object> command = ["SET", key, value];
        if (expiry is { } ttl)
        {
            command.AddRange(["PX", (long)Math.Max(1, ttl.TotalMilliseconds)]);
        }
        if (onlyIfAbsent)
        {
            command.Add("NX");
        }
        return (await ExecuteAsync([.. command])).Kind != RespKind.Null;
    }

    /// <summary>UNLINK: removes the keys, freeing their memory in the background; returns how many existed.</summary>
    public async Task<long> DeleteAsync(params string[] keys) => (await ExecuteAsync(["UNLINK", .. keys])).Integer;

    public async Task<bool> ExpireAsync(string key, TimeSpan ttl) => (await ExecuteAsync("PEXPIRE", key, (long)Math.Max(1, ttl.TotalMilliseconds))).Integer == 1;

    public async Task<long> IncrementAsync(string key) => (await ExecuteAsync("INCR", key)).Integer;

    /// <summary>PING on the command connection; returns the round trip.</summary>
    public async Task<TimeSpan> PingAsync()
    {
        var started = Stopwatch.GetTimestamp();
        await ExecuteAsync("PING");
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>
    /// Runs a script by its SHA-1, loading it first if Redis does not know it (after a restart, say). The result is a
    /// long, a byte[], a string, an object?[] or null, as the script returns.
    /// </summary>
    public async Task<object?> EvaluateAsync(RedisScript script, string[] keys, params object[] arguments)
    {
        object[] command = ["EVALSHA", script.Sha1, keys.Length, .. keys, .. arguments];
        try
        {
            return Unwrap(await ExecuteAsync(command));
        }
        catch (RedisServerException e) when (e.Kind == "NOSCRIPT")
        {
            await ExecuteAsync("SCRIPT", "LOAD", script.Source);
            return Unwrap(await ExecuteAsync(command));
        }
    }

    public async Task<long> PublishAsync(string channel, ReadOnlyMemory<byte> message) => (await ExecuteAsync("PUBLISH", channel, message)).Integer;

    /// <summary>Calls <paramref name="handler"/> with every message on the channel until the result is disposed.</summary>
    public async Task<IAsyncDisposable> SubscribeAsync(string channel, Action<ReadOnlyMemory<byte>> handler)
    {
        var first = false;
        _handlers.AddOrUpdate(channel, _ => { first = true; return [handler]; }, (_, list) => list.Add(handler));
        if (first)
        {
            try
            {
                (await _subscriber.SessionAsync()).Post(Resp.Command("SUBSCRIBE", channel));
            }
            catch (RedisException)
            {
                // Not connected now: the handler is registered, and the next connection subscribes to its channel.
            }
        }
        return new Subscription(this, channel, handler);
    }

    public async ValueTask DisposeAsync()
    {
        await _commands.DisposeAsync();
        await _subscriber.DisposeAsync();
    }

    internal async Task<RespValue> ExecuteAsync(params object[] command) => await _commands.ExecuteAsync(Resp.Command(command));

    private async Task UnsubscribeAsync(string channel, Action<ReadOnlyMemory<byte>> handler)
    {
        var remaining = _handlers.AddOrUpdate(channel, _ => [], (_, list) => list.Remove(handler));
        if (remaining.IsEmpty && _handlers.TryRemove(new KeyValuePair<string, ImmutableList<Action<ReadOnlyMemory<byte>>>>(channel, remaining)))
        {
            try
            {
                (await _subscriber.SessionAsync()).Post(Resp.Command("UNSUBSCRIBE", channel));
            }
            catch (RedisException)
            {
                // Not connected: the next connection subscribes only to channels still wanted.
            }
        }
    }

    /// <summary>A new subscriber connection: switch it to push mode and subscribe to every channel still wanted.</summary>
    private Task ResubscribeAsync(RespSession session)
    {
        session.SwitchToPushMode(OnPush);
        if (!_handlers.IsEmpty)
        {
            session.Post(Resp.Command(["SUBSCRIBE", .. _handlers.Keys]));
        }
        return Task.CompletedTask;
    }

    private void OnPush(RespValue push)
    {
        // ["message", channel, payload]; subscribe and unsubscribe confirmations need no action.
        if (push is { Kind: RespKind.Array, Items: [{ Text: "message" }, { Text: { } channel }, { Bytes: { } payload }] }
            && _handlers.TryGetValue(channel, out var handlers))
        {
            foreach (var handler in handlers)
            {
                try
                {
                    handler(payload);
                }
                catch (Exception e)
                {
                    _logger.LogWarning(e, "A handler of Redis channel {Channel} failed", channel);
                }
            }
        }
    }

    private static object? Unwrap(RespValue value) => value.Kind switch
    {
        RespKind.Integer => value.Integer,
        RespKind.Bulk => value.Bytes,
        RespKind.SimpleString => value.Text,
        RespKind.Array => value.Items!.Select(Unwrap).ToArray(),
        _ => null,
    };

    private sealed class Subscription(RedisClient client, string channel, Action<ReadOnlyMemory<byte>> handler) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => new(client.UnsubscribeAsync(channel, handler));
    }
}
