using System.Text;
using Shared.Redis;

namespace Shared.Caching;

/// <summary>What one instance tells the others: drop a key, or forget everything tagged before a time.</summary>
public sealed record CacheEvent(string Kind, string Name, long At)
{
    public const string Key = "key";
    public const string Tag = "tag";
}

/// <summary>Carries cache events between instances. Slim: keys and tags, never values.</summary>
public interface ICacheBackplane
{
    Task PublishAsync(CacheEvent cacheEvent);

    Task<IAsyncDisposable> SubscribeAsync(Action<CacheEvent> onEvent);
}

/// <summary>The backplane on Redis pub/sub: one channel, each message "sender\nkind\nname\nat". An instance ignores its own.</summary>
public sealed class RedisCacheBackplane(RedisClient redis, string channel) : ICacheBackplane
{
    private readonly string _sender = Guid.NewGuid().ToString("N");

    public Task PublishAsync(CacheEvent cacheEvent) =>
        redis.PublishAsync(channel, Encoding.UTF8.GetBytes($"{_sender}\n{cacheEvent.Kind}\n{cacheEvent.Name}\n{cacheEvent.At}"));

    public Task<IAsyncDisposable> SubscribeAsync(Action<CacheEvent> onEvent) =>
        redis.SubscribeAsync(channel, message =>
        {
            var parts = Encoding.UTF8.GetString(message.Span).Split('\n', 4);
            if (parts.Length == 4 && parts[0] != _sender && long.TryParse(parts[3], out var at))
            {
                onEvent(new CacheEvent(parts[1], parts[2], at));
            }
        });
}
