using System.Diagnostics.Metrics;

namespace Shared.RateLimiting;

/// <summary>
/// The product's own rate-limit figure: decisions an instance took alone while Redis was away. Requests allowed and
/// refused per policy are ASP.NET Core's (<c>aspnetcore.rate_limiting.requests</c>).
/// </summary>
internal sealed class RateLimitMetrics
{
    public const string MeterName = "Polling.RateLimits";

    private readonly Counter<long> _local;

    public RateLimitMetrics(IMeterFactory meters) =>
        _local = meters.Create(MeterName).CreateCounter<long>("polling.rate_limits.local_decisions", "{decision}",
            "Rate-limit decisions an instance took alone, with its share of the rate, because Redis did not answer.");

    public void LocalDecision(string policy) => _local.Add(1, new KeyValuePair<string, object?>("policy", policy));
}
