using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Shared.Data;
using Shared.Tenancy;

namespace Shared.Messaging;

/// <summary>
/// The messages waiting on each shard (not yet handled, or due for a retry), counted on the shard: for readiness, and
/// as the <c>messages.waiting</c> gauge, tagged with the shard. The gauge is counted when the metrics are scraped, so
/// an instance nobody scrapes queries nothing. Wolverine's own inbox gauges name their database only in a tag on the
/// instrument, which the OpenTelemetry SDK does not export: theirs read as one number, some shard's.
/// A hosted service only so that it is built, and its gauge exists, as the Host starts.
/// </summary>
internal sealed class MessageBacklog : IHostedService
{
    public const string MeterName = "Polling.Messaging";

    // A scrape waits this long at most for the counts; a shard that does not answer in time is left out of it.
    private static readonly TimeSpan ScrapePatience = TimeSpan.FromSeconds(2);

    private readonly ShardMap _shards;

    public MessageBacklog(ShardMap shards, IMeterFactory meters)
    {
        _shards = shards;
        meters.Create(MeterName).CreateObservableGauge("messages.waiting", Observe, unit: "{message}",
            description: "Messages stored on a shard and not yet handled (or due for a retry)");
    }

    public async Task<long> CountAsync(string shardId, CancellationToken cancellationToken)
    {
        var counts = await _shards.Shard(shardId).QueryAsync(
            $"SELECT count(*) FROM {WolverineTables.Waiting}", r => r.GetInt64(0), cancellationToken);
        return counts[0];
    }

    private List<Measurement<long>> Observe()
    {
        using var patience = new CancellationTokenSource(ScrapePatience);
        var measurements = new List<Measurement<long>>();
        foreach (var shardId in _shards.ShardIds)
        {
            try
            {
                // The SDK asks synchronously, on the scrape's own request.
                var waiting = CountAsync(shardId, patience.Token).GetAwaiter().GetResult();
                measurements.Add(new Measurement<long>(waiting, new KeyValuePair<string, object?>("shard", shardId)));
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException)
            {
                // Unknown is left out rather than reported as nothing waiting; readiness says the shard is unreachable.
            }
        }
        return measurements;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
