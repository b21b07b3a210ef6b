using System.Diagnostics;
using Npgsql;

namespace Bench;

/// <summary>The tally under an open-loop vote load: votes counted per second, lag, backlog and drain time.</summary>
internal static class TallyScenario
{
    public sealed record Figures(double CountedPerSecond, double LagP50, double LagP99, long MaxBacklog, TimeSpan Drain);

    /// <summary>Open-loop vote rounds at half and all of the closed loop's rate, each drained before the next.</summary>
    public static async Task<IReadOnlyList<(string Load, LoadResult Run, Figures Figures)>> RunAsync(
        HttpClient http, NpgsqlDataSource db, Func<Task<bool>> vote, Uri[] counters, double maxRate, TimeSpan duration)
    {
        var tally = new List<(string Load, LoadResult Run, Figures Figures)>();
        foreach (var share in new[] { 0.5, 1.0 })
        {
            Console.Error.WriteLine($"open loop at {share:P0} of the maximum vote rate...");
            var before = await InstanceMetrics.TallyLagAsync(http, counters);
            using var sampling = new CancellationTokenSource();
            var maxBacklog = SampleMaxBacklogAsync(db, sampling.Token);
            var run = await Load.OpenLoopAsync($"votes at {share:P0}", vote, share * maxRate, duration);
            var drain = Stopwatch.StartNew();
            await DrainAsync(db);
            drain.Stop();
            await sampling.CancelAsync();
            var lag = (await InstanceMetrics.TallyLagAsync(http, counters)).Since(before);
            tally.Add(($"{share:P0}", run, new Figures(lag.Count / (duration + drain.Elapsed).TotalSeconds, lag.Percentile(0.5), lag.Percentile(0.99), await maxBacklog, drain.Elapsed)));
        }
        return tally;
    }

    private static async Task<long> SampleMaxBacklogAsync(NpgsqlDataSource db, CancellationToken stop)
    {
        long max = 0;
        while (!stop.IsCancellationRequested)
        {
            max = Math.Max(max, await BacklogAsync(db));
            try
            {
                await Task.Delay(250, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }
        return max;
    }

    private static async Task<long> BacklogAsync(NpgsqlDataSource db)
    {
        await using var command = db.CreateCommand("SELECT count(*) FROM votes.uncounted_votes");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public static async Task DrainAsync(NpgsqlDataSource db)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (await BacklogAsync(db) > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The votes were not all counted within 3 minutes.");
            }
            await Task.Delay(50);
        }
    }
}
