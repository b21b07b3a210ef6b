using System.Diagnostics.Metrics;

namespace Votes.Features.StreamResults;

/// <summary>How many live results streams this instance is serving.</summary>
internal sealed class LiveResultsMetrics
{
    public const string MeterName = "Polling.Votes";

    private readonly UpDownCounter<long> _openStreams;

    public LiveResultsMetrics(IMeterFactory meters) =>
        _openStreams = meters.Create(MeterName).CreateUpDownCounter<long>("sse.open_streams", description: "Open live results streams");

    public void Opened() => _openStreams.Add(1);

    public void Closed() => _openStreams.Add(-1);
}
