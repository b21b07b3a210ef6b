using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shared.Configuration;
using Shared.Redis;

namespace Shared.Caching;

public static class CachingSetup
{
    public const string RedisConnectionName = "Redis";

    /// <summary>
    /// <see cref="HybridCache"/> for the modules: L1 + Redis L2 + backplane when <c>ConnectionStrings:Redis</c> is
    /// set, L1 alone when it is not (right for one instance).
    /// </summary>
    public static IServiceCollection AddPlatformCaching(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<LayeredCacheOptions>(configuration.GetSection(LayeredCacheOptions.Section));
        services.AddSingleton<CacheMetrics>();
        var redis = configuration.GetConnectionString(RedisConnectionName);
        if (string.IsNullOrWhiteSpace(redis))
        {
            services.AddSingleton<HybridCache>(provider => new LayeredCache(
                provider.GetRequiredService<IOptions<LayeredCacheOptions>>(), TimeProvider.System, provider.GetRequiredService<ILogger<LayeredCache>>(),
                metrics: provider.GetRequiredService<CacheMetrics>()));
            return services;
        }
        var redisOptions = ParseRedis(redis);
        services.AddSingleton(provider => new RedisClient(redisOptions, provider.GetRequiredService<ILogger<RedisClient>>()));
        // No prefix of its own: LayeredCache puts its versioned prefix on every key it stores.
        services.AddSingleton(provider => new RedisDistributedCache(provider.GetRequiredService<RedisClient>(), "", TimeProvider.System));
        services.AddSingleton<IDistributedCache>(provider => provider.GetRequiredService<RedisDistributedCache>());
        services.AddSingleton<IBufferDistributedCache>(provider => provider.GetRequiredService<RedisDistributedCache>());
        services.AddSingleton<ICacheBackplane>(provider => new RedisCacheBackplane(
            provider.GetRequiredService<RedisClient>(), provider.GetRequiredService<IOptions<LayeredCacheOptions>>().Value.KeyPrefix + "events"));
        services.AddSingleton<HybridCache>(provider => new LayeredCache(
            provider.GetRequiredService<IOptions<LayeredCacheOptions>>(), TimeProvider.System, provider.GetRequiredService<ILogger<LayeredCache>>(),
            provider.GetRequiredService<IDistributedCache>(), provider.GetRequiredService<ICacheBackplane>(), provider.GetRequiredService<CacheMetrics>()));
        return services;
    }

    private static RedisOptions ParseRedis(string connectionString)
    {
        try
        {
            return RedisOptions.Parse(connectionString);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new InvalidSettingException($"ConnectionStrings:{RedisConnectionName}", $"is not a valid Redis connection string: {e.Message}");
        }
    }
}
