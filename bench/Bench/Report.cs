using System.Globalization;
using Bench.WolverineVotes;
using Npgsql;

namespace Bench;

/// <summary>
/// Runs the scenarios against a running Host, its PostgreSQL and the baseline server, and prints the report:
/// every figure next to a baseline measured in the same run on the same machine.
/// </summary>
internal static class Report
{
    public const int Concurrency = 32;

    public static async Task<int> RunAsync(Uri api, Uri apiFromRedis, Uri apiLimited, Uri baseline, string postgres, int seconds)
    {
        var duration = TimeSpan.FromSeconds(seconds);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { Timeout = TimeSpan.FromSeconds(30) };
        await using var db = NpgsqlDataSource.Create(postgres);
        var token = await BenchApi.SetUpTenantAsync(http, api);
        var (pollId, options) = await BenchApi.OpenPollAsync(http, api, token);
        var vote = BenchApi.Vote(http, new Uri(api, $"/api/public/polls/{pollId}/votes"), options);
        var baselineVote = BenchApi.Vote(http, new Uri(baseline, "/votes"), options);

        Console.Error.WriteLine("warming up...");
        await Load.ClosedLoopAsync("warm-up", baselineVote, Concurrency, TimeSpan.FromSeconds(3));
        await Load.ClosedLoopAsync("warm-up", vote, Concurrency, TimeSpan.FromSeconds(3));
        await TallyScenario.DrainAsync(db);

        Console.Error.WriteLine("closed loop: baseline, then votes...");
        var baselineRun = await Load.ClosedLoopAsync("bare minimal-API POST (baseline)", baselineVote, Concurrency, duration);
        var votesRun = await Load.ClosedLoopAsync("POST /api/public/polls/{id}/votes", vote, Concurrency, duration);
        await TallyScenario.DrainAsync(db);

        var (reads, bytesPerRead) = await ReadsScenario.RunAsync(http, api, apiFromRedis, apiLimited, baseline, token, duration);
        var fromRedisCache = await InstanceMetrics.CacheFiguresAsync(http, apiFromRedis);

        // Any instance may count votes, so the tally's figures are summed over all three.
        var tally = await TallyScenario.RunAsync(http, db, vote, [api, apiFromRedis, apiLimited], votesRun.Throughput, duration);

        Console.Error.WriteLine("pgbench...");
        var pgbenchTps = await PgbenchScenario.RunAsync(db, postgres, seconds);

        Print(baselineRun, votesRun, tally, pgbenchTps);
        await PrintWolverineVotesAsync(postgres, seconds, votesRun.Throughput);
        ReadsScenario.Print(reads);
        Console.WriteLine();
        Console.WriteLine($"The L2 instance's cache during the run (from its /metrics): {fromRedisCache}.");
        Console.WriteLine($"A cached read (L1) allocated {bytesPerRead:0} bytes on the instance's GC heap (its /metrics over the closed-loop rounds).");
        var (limitsOff, limitsOn) = (reads[1], reads[3]);
        Console.WriteLine($"Rate limits on (one Redis script per request) against off, the same cached read: {limitsOn.Throughput:0}/s against {limitsOff.Throughput:0}/s = "
            + $"{limitsOn.Throughput / limitsOff.Throughput:0.00}×, p99 {limitsOn.Percentile(99):0.0} ms against {limitsOff.Percentile(99):0.0} ms.");
        return 0;
    }

    /// <summary>The tally through Wolverine's batched handling (ADR 0005's alternative), against the API's votes/s when given.</summary>
    public static async Task<int> PrintWolverineVotesAsync(string postgres, int seconds, double? votesPerSecond)
    {
        Console.Error.WriteLine("votes through Wolverine's outbox and batched handling...");
        var wolverine = await WolverineVotesScenario.RunAsync(postgres, Concurrency, TimeSpan.FromSeconds(seconds));
        var against = votesPerSecond is { } api ? $" = {(wolverine.Run.Throughput / api).ToString("0.00", CultureInfo.InvariantCulture)}× the API's votes/s above" : "";
        Console.WriteLine();
        Console.WriteLine("ADR 0005's alternative in the same run: each vote and its VoteCast stored through Wolverine's EF Core outbox, counted");
        Console.WriteLine("by its batched handling (100 a batch) from durable local queues, in the benchmark's process (no HTTP, no checks):");
        Console.WriteLine($"{Table.N(wolverine.Run.Throughput)} votes/s (closed loop, p99 {Table.Ms(wolverine.Run.Percentile(99))} ms){against}; counted {Table.N(wolverine.CountedPerSecond)}/s, "
            + $"lag p50 {Table.Ms(wolverine.LagP50)} ms, p99 {Table.Ms(wolverine.LagP99)} ms, drained {wolverine.Drain.TotalMilliseconds:0} ms after.");
        return 0;
    }

    private static void Print(LoadResult baseline, LoadResult votes, IReadOnlyList<(string Load, LoadResult Run, TallyScenario.Figures Figures)> tally, double pgbenchTps)
    {
        Console.WriteLine($"# Benchmark report ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {Concurrency} connections)");
        Console.WriteLine();
        Console.WriteLine("| scenario | req/s | × baseline | p50 ms | p95 ms | p99 ms | failed |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var run in new[] { baseline, votes })
        {
            Console.WriteLine(Table.Row(run, baseline));
        }
        Console.WriteLine();
        Console.WriteLine($"pgbench, one vote-shaped INSERT per transaction: {Table.N(pgbenchTps)} tps; votes reach {(votes.Throughput / pgbenchTps).ToString("0.00", CultureInfo.InvariantCulture)}× of it.");
        Console.WriteLine();
        Console.WriteLine("The tally under an open-loop vote load; lag is from a vote being cast to its being counted (percentiles");
        Console.WriteLine("read from the instances' votes.tally_lag histograms, interpolated within a bucket):");
        Console.WriteLine();
        Console.WriteLine("| load | votes/s offered | vote p50 / p99 ms | counted/s | lag p50 ms | lag p99 ms | max uncounted | drained after |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var (load, run, f) in tally)
        {
            Console.WriteLine($"| {load} | {Table.N(run.Throughput)} | {Table.Ms(run.Percentile(50))} / {Table.Ms(run.Percentile(99))} | {Table.N(f.CountedPerSecond)} | {Table.Ms(f.LagP50)} | {Table.Ms(f.LagP99)} | {f.MaxBacklog} | {f.Drain.TotalMilliseconds:0} ms |");
        }
    }
}
