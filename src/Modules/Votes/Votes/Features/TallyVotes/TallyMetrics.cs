using System.Diagnostics.Metrics;
using Votes.Data;
using Votes.Features.StreamResults;

namespace Votes.Features.TallyVotes;

/// <summary>What the tally reports: votes counted, and how long after their commit.</summary>
internal sealed class TallyMetrics
{
    private readonly Counter<long> _counted;
    private readonly Histogram<double> _lag;

    // Fine buckets at the low end, where the lag lives, so that percentiles read from them are close.
    private static readonly InstrumentAdvice<double> LagBuckets = new()
    {
        HistogramBucketBoundaries = [1, 2, 5, 10, 15, 20, 30, 40, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 2000, 5000, 10000],
    };

    public TallyMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(LiveResultsMetrics.MeterName);
        _counted = meter.CreateCounter<long>("votes.counted", description: "Votes counted into the results");
        _lag = meter.CreateHistogram("votes.tally_lag", unit: "ms", description: "From a vote being cast to its being counted", advice: LagBuckets);
    }

    public void Counted(IReadOnlyList<CountedVote> votes, DateTimeOffset now)
    {
        _counted.Add(votes.Count);
        foreach (var vote in votes)
        {
            _lag.Record(Math.Max(0, (now - vote.CastAt).TotalMilliseconds));
        }
    }
}
