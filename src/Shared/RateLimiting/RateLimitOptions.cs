namespace Shared.RateLimiting;

/// <summary>The <c>RateLimits</c> configuration section: the request rates each kind of caller is allowed.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Off, no route is limited and no <c>RateLimit-*</c> header is sent (the benchmarks turn it off).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How many instances serve the configured rates together. Each rate holds for the whole cluster while Redis
    /// decides; when Redis is away each instance allows its share, the rate divided by this.
    /// </summary>
    public int Instances { get; set; } = 1;

    /// <summary>One rule per policy in <see cref="RateLimitPolicies"/>, by name.</summary>
    public Dictionary<string, RateRule> Policies { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary><see cref="Limit"/> requests per <see cref="Window"/>, at most <see cref="Limit"/> of them at once.</summary>
public sealed class RateRule
{
    public int Limit { get; set; }

    public TimeSpan Window { get; set; }
}
