using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shared.Configuration;
using StackExchange.Redis;

namespace Shared.Redis;

/// <summary>
/// The process's one Redis connection (a StackExchange.Redis multiplexer), from <c>ConnectionStrings:Redis</c> in
/// StackExchange.Redis's own format. The cache's L2 and its backplane share it.
/// </summary>
public static class RedisConnection
{
    public const string ConnectionName = "Redis";

    /// <summary>
    /// Ours, given before the configured string so that the string's own values win. Redis is optional to the product
    /// (each instance falls back to its memory and the database), so a call while it is away must fail at once: no
    /// abort when the first connect fails, and a short timeout for the calls that are sent.
    /// </summary>
    private const string Defaults = "abortConnect=false,connectTimeout=2000,asyncTimeout=250,syncTimeout=250,connectRetry=1";

    /// <summary>Whether a Redis is configured; without one the cache lives in each instance's memory only.</summary>
    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration.GetConnectionString(ConnectionName));

    public static IServiceCollection AddRedisConnection(this IServiceCollection services, IConfiguration configuration)
    {
        var options = Options(configuration.GetConnectionString(ConnectionName)!);
        // Connects in the background: a Redis that is down at start-up delays nothing, and is used once it answers.
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
        return services;
    }

    private static ConfigurationOptions Options(string connectionString)
    {
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse($"{Defaults},{connectionString}");
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new InvalidSettingException($"ConnectionStrings:{ConnectionName}", $"is not a valid StackExchange.Redis configuration string: {e.Message}");
        }
        if (options.EndPoints.Count == 0)
        {
            throw new InvalidSettingException($"ConnectionStrings:{ConnectionName}", "names no Redis endpoint (host:port)");
        }
        // Commands issued while disconnected fail at once instead of queueing until a reconnect (5-6 s with the defaults).
        options.BacklogPolicy = BacklogPolicy.FailFast;
        return options;
    }
}
