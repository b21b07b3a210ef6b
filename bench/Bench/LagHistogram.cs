namespace Bench;

/// <summary>A Prometheus histogram's cumulative buckets (upper bound → count), summed over instances.</summary>
internal sealed class LagHistogram(SortedDictionary<double, double> buckets)
{
    public double Count => buckets.Count == 0 ? 0 : buckets.Values.Last();

    /// <summary>What was recorded between <paramref name="earlier"/> and this reading.</summary>
    public LagHistogram Since(LagHistogram earlier) =>
        new(new SortedDictionary<double, double>(buckets.ToDictionary(b => b.Key, b => b.Value - earlier.Bucket(b.Key))));

    /// <summary>The quantile, interpolated linearly inside the bucket it falls in (the last finite bound if it falls beyond).</summary>
    public double Percentile(double quantile)
    {
        var target = quantile * Count;
        var (lower, below) = (0.0, 0.0);
        foreach (var (bound, cumulative) in buckets)
        {
            if (cumulative >= target && cumulative > below)
            {
                return double.IsPositiveInfinity(bound) ? lower : lower + (bound - lower) * (target - below) / (cumulative - below);
            }
            (lower, below) = (bound, cumulative);
        }
        return lower;
    }

    private double Bucket(double bound) => buckets.GetValueOrDefault(bound);
}
