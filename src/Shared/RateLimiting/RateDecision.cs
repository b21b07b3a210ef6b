namespace Shared.RateLimiting;

/// <summary>
/// One budget a request draws from: the Redis key that holds its state and its rule. A request is allowed only if
/// every bucket it draws from allows it.
/// </summary>
internal sealed record RateBucket(string Key, RateRule Rule)
{
    /// <summary>The time one request uses up of the window (the window over the limit), in microseconds.</summary>
    public long IntervalMicroseconds { get; } = Math.Max(1, (long)(Rule.Window.TotalMicroseconds / Rule.Limit));
}

/// <summary>
/// What a limiter answered, described by the bucket with the least left: its limit, what is left of it, the time until
/// it is full again and, for a refusal, the time until a request would be allowed.
/// </summary>
internal readonly record struct RateDecision(bool Allowed, long Limit, long Remaining, TimeSpan Reset, TimeSpan RetryAfter);
