using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Shared.Redis;

/// <summary>
/// Redis carries the cache's L2 and backplane, and the product keeps serving without it (from each instance's memory
/// and the database), so Redis never makes an instance unready: it reports Degraded while Redis does not answer.
/// </summary>
public sealed class RedisHealthCheck(IServiceProvider services) : IHealthCheck
{
    private static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<IConnectionMultiplexer>() is not { } redis)
        {
            return HealthCheckResult.Healthy("Not configured: each instance caches in its own memory only.");
        }
        try
        {
            var roundTrip = await redis.GetDatabase().PingAsync().WaitAsync(AnswerWithin, cancellationToken);
            return HealthCheckResult.Healthy($"Answers PING in {roundTrip.TotalMilliseconds:0.0} ms.");
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return HealthCheckResult.Degraded("Redis does not answer: reads come from each instance's memory and the database.");
        }
    }
}
