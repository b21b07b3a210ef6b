using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Shared.RateLimiting;

/// <summary>
/// Runs <see cref="GcraScript"/> on the process's Redis connection: one round trip per request, so that however many
/// instances serve a client, together they allow the configured rate. When Redis is not configured, not connected, or
/// a call fails, the answer is "no decision" and the caller decides locally; after a failure Redis is left alone for
/// <see cref="BreakDuration"/>, so that an outage costs one short timeout, not one per request. The switch to local
/// decisions is logged once per outage, and each local decision is counted.
/// </summary>
internal sealed partial class ClusterDecisions(IConnectionMultiplexer? redis, RateLimitMetrics metrics, TimeProvider clock, ILogger<ClusterDecisions> logger)
{
    public static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(1);

    private long _retryAt;
    private int _degraded;

    /// <summary>Whether a decision is worth asking Redis for now.</summary>
    public bool Available => redis is { IsConnected: true } && clock.GetTimestamp() >= Interlocked.Read(ref _retryAt);

    public async ValueTask<RateDecision?> DecideAsync(RedisKey[] keys, RedisValue[] rules)
    {
        try
        {
            var answer = (RedisResult[])(await redis!.GetDatabase().ScriptEvaluateAsync(GcraScript.Source, keys, rules))!;
            if (Interlocked.Exchange(ref _degraded, 0) == 1)
            {
                LogBack();
            }
            return new RateDecision((long)answer[0] == 1, (long)answer[1], (long)answer[2],
                TimeSpan.FromMicroseconds((long)answer[3]), TimeSpan.FromMicroseconds((long)answer[4]));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Interlocked.Exchange(ref _retryAt, clock.GetTimestamp() + (long)(BreakDuration.TotalSeconds * clock.TimestampFrequency));
            if (Interlocked.Exchange(ref _degraded, 1) == 0)
            {
                LogDegraded(e);
            }
            return null;
        }
    }

    /// <summary>Counts a decision taken without Redis (Redis configured but away).</summary>
    public void CountLocal(string policy)
    {
        if (redis is not null)
        {
            metrics.LocalDecision(policy);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rate limits are decided by each instance alone, with its share of each rate, until Redis answers again")]
    private partial void LogDegraded(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rate limits are decided in Redis for the whole cluster again")]
    private partial void LogBack();
}
