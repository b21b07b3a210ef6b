using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Extensions.Caching.Distributed;

namespace Shared.Redis;

/// <summary>
/// <see cref="IDistributedCache"/> on Redis. Each entry is one string value: a 16-byte header (absolute expiry and
/// sliding window, in Unix milliseconds and milliseconds, 0 for none) then the payload; Redis's own TTL is set to the
/// earlier of the two, and a read of a sliding entry pushes its TTL on.
/// </summary>
public sealed class RedisDistributedCache(RedisClient redis, string keyPrefix, TimeProvider clock) : IBufferDistributedCache
{
    private const int HeaderLength = 16;

    public byte[]? Get(string key) => GetAsync(key).GetAwaiter().GetResult();

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default) =>
        await ReadAsync(key) is { } entry ? entry.AsSpan(HeaderLength).ToArray() : null;

    public bool TryGet(string key, IBufferWriter<byte> destination) => TryGetAsync(key, destination).AsTask().GetAwaiter().GetResult();

    public async ValueTask<bool> TryGetAsync(string key, IBufferWriter<byte> destination, CancellationToken token = default)
    {
        if (await ReadAsync(key) is not { } entry)
        {
            return false;
        }
        destination.Write(entry.AsSpan(HeaderLength));
        return true;
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).GetAwaiter().GetResult();

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        WriteAsync(key, new ReadOnlySequence<byte>(value), options);

    public void Set(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options) => WriteAsync(key, value, options).GetAwaiter().GetResult();

    public ValueTask SetAsync(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        new(WriteAsync(key, value, options));

    public void Refresh(string key) => RefreshAsync(key).GetAwaiter().GetResult();

    public async Task RefreshAsync(string key, CancellationToken token = default) => await ReadAsync(key);

    public void Remove(string key) => RemoveAsync(key).GetAwaiter().GetResult();

    public Task RemoveAsync(string key, CancellationToken token = default) => redis.DeleteAsync(keyPrefix + key);

    /// <summary>The whole stored entry, header included; slides a sliding entry's TTL on.</summary>
    private async Task<byte[]?> ReadAsync(string key)
    {
        var entry = await redis.GetAsync(keyPrefix + key);
        if (entry is null || entry.Length < HeaderLength)
        {
            return null;
        }
        var sliding = BinaryPrimitives.ReadInt64LittleEndian(entry.AsSpan(8));
        if (sliding > 0 && TimeToLive(BinaryPrimitives.ReadInt64LittleEndian(entry), sliding) is { } ttl)
        {
            await redis.ExpireAsync(keyPrefix + key, ttl);
        }
        return entry;
    }

    private async Task WriteAsync(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options)
    {
        var now = clock.GetUtcNow();
        var absolute = options.AbsoluteExpiration ?? (options.AbsoluteExpirationRelativeToNow is { } relative ? now + relative : null);
        var absoluteMs = absolute?.ToUnixTimeMilliseconds() ?? 0;
        var slidingMs = (long)(options.SlidingExpiration?.TotalMilliseconds ?? 0);
        if (TimeToLive(absoluteMs, slidingMs) is { } ttl && ttl <= TimeSpan.Zero)
        {
            await RemoveAsync(key);
            return;
        }
        var entry = new byte[HeaderLength + value.Length];
        BinaryPrimitives.WriteInt64LittleEndian(entry, absoluteMs);
        BinaryPrimitives.WriteInt64LittleEndian(entry.AsSpan(8), slidingMs);
        value.CopyTo(entry.AsSpan(HeaderLength));
        await redis.SetAsync(keyPrefix + key, entry, TimeToLive(absoluteMs, slidingMs));
    }

    /// <summary>The earlier of the absolute expiry and the sliding window from now; null when neither is set.</summary>
    private TimeSpan? TimeToLive(long absoluteMs, long slidingMs)
    {
        TimeSpan? untilAbsolute = absoluteMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(absoluteMs) - clock.GetUtcNow() : null;
        TimeSpan? window = slidingMs > 0 ? TimeSpan.FromMilliseconds(slidingMs) : null;
        return (untilAbsolute, window) switch
        {
            ({ } a, { } w) => a < w ? a : w,
            ({ } a, null) => a,
            (null, { } w) => w,
            _ => null,
        };
    }
}
