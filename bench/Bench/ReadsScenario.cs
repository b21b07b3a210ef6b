namespace Bench;

/// <summary>Cached reads: the public poll view from memory, results from Redis, the same with rate limits on, and the tail in open loop.</summary>
internal static class ReadsScenario
{
    public const int Polls = 200;

    /// <summary>
    /// The public poll views of <see cref="Polls"/> polls, read in turn (so that concurrent readers seldom share
    /// one load of the same key), served from the instance's memory (L1), their public results from Redis (an instance
    /// that keeps no local copies: every read of them is an L1 miss and an L2 hit; a poll's view is made from the poll
    /// each instance keeps in memory, so it never comes from Redis), and a bare GET of the view's size, each measured
    /// with the lean generator in interleaved rounds, so that a drift in the machine's speed touches all alike. The L1 read is
    /// measured a second time on an instance with the rate limits on (the others run with them off, as configuration allows).
    /// </summary>
    public static async Task<(List<LoadResult> Runs, double BytesPerRead)> RunAsync(HttpClient http, Uri api, Uri apiFromRedis, Uri apiLimited, Uri baseline, string token, TimeSpan duration)
    {
        Console.Error.WriteLine($"reads: {Polls} polls; a bare GET of the same size, the cached poll views from memory, their results from Redis...");
        var views = new List<Uri>();
        for (var i = 0; i < Polls; i++)
        {
            views.Add(new Uri(api, $"/api/public/polls/{(await BenchApi.OpenPollAsync(http, api, token)).PollId}"));
        }
        var resultsFromRedis = views.Select(view => new Uri(apiFromRedis, view.PathAndQuery + "/results")).ToList();
        var viewsLimited = views.Select(view => new Uri(apiLimited, view.PathAndQuery)).ToList();
        var viewSize = (await http.GetByteArrayAsync(views[0])).Length;
        var routes = new (string Name, IReadOnlyList<Uri> Urls)[]
        {
            ($"bare minimal-API GET, {viewSize} B of JSON (baseline)", [new Uri(baseline, $"/json/{viewSize}")]),
            ($"GET /api/public/polls/{{id}}, {Polls} polls, cached in memory (L1)", views),
            ($"GET /api/public/polls/{{id}}/results, {Polls} polls, L1 miss, from Redis (L2), {(await http.GetByteArrayAsync(resultsFromRedis[0])).Length} B", resultsFromRedis),
            ($"GET /api/public/polls/{{id}}, {Polls} polls, L1, rate limits on", viewsLimited),
        };
        // The Host's JIT needs about ten seconds of this load on two cores to finish compiling the read path's optimised
        // code (the first 15 s after start ran at 0.6 of the rate that followed); the bare endpoint is warm in one.
        foreach (var (_, urls) in routes)
        {
            await RawHttp.ClosedLoopAsync("warm-up", urls, Report.Concurrency, TimeSpan.FromSeconds(10));
        }
        const int rounds = 3;
        var runs = routes.Select(_ => new List<LoadResult>()).ToArray();
        var allocatedBefore = await InstanceMetrics.AllocationAsync(http, api);
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < routes.Length; i++)
            {
                runs[i].Add(await RawHttp.ClosedLoopAsync(routes[i].Name, routes[i].Urls, Report.Concurrency, duration / rounds));
            }
        }
        var allocatedAfter = await InstanceMetrics.AllocationAsync(http, api);
        var results = runs.Select(LoadResult.Combine).ToList();
        // The same offered rate on the bare endpoint tells how much of the tail is the machine's and the generator's.
        // Interleaved rounds here too: this machine's hiccups (seconds in which the processes get little CPU, seen as
        // missing ticks in /proc/stat) would otherwise land on one side only and decide the comparison.
        var half = results[1].Throughput / 2;
        var bareTail = new List<LoadResult>();
        var cachedTail = new List<LoadResult>();
        var gcBefore = await InstanceMetrics.GcFiguresAsync(http, api);
        var generatorPausedBefore = GC.GetTotalPauseDuration();
        for (var round = 0; round < rounds; round++)
        {
            var before = await InstanceMetrics.ActivityAsync(http, api);
            bareTail.Add(await RawHttp.OpenLoopAsync("bare GET at the same rate, open loop (baseline for the tail)", routes[0].Urls, half, duration / rounds, Report.Concurrency));
            var between = await InstanceMetrics.ActivityAsync(http, api);
            cachedTail.Add(await RawHttp.OpenLoopAsync("GET /api/public/polls/{id} (L1) at 50 % of its maximum rate, open loop", views, half, duration / rounds, Report.Concurrency));
            var after = await InstanceMetrics.ActivityAsync(http, api);
            Console.Error.WriteLine($"tail round {round + 1}: bare {WhereSlow(bareTail[^1], half)}, the instance meanwhile {between - before}; "
                + $"cached {WhereSlow(cachedTail[^1], half)}, the instance {after - between}");
        }
        results.Add(LoadResult.Combine(bareTail));
        results.Add(LoadResult.Combine(cachedTail));
        var generatorPaused = GC.GetTotalPauseDuration() - generatorPausedBefore;
        var gcAfter = await InstanceMetrics.GcFiguresAsync(http, api);
        Console.Error.WriteLine($"the instance's GC during those open loops (its own and the bare one's): {gcAfter.Collections - gcBefore.Collections} collections "
            + $"({gcAfter.Gen2 - gcBefore.Gen2} of gen2), {(gcAfter.PauseSeconds - gcBefore.PauseSeconds) * 1000:0} ms paused in all; "
            + $"the generator's own GC paused it {generatorPaused.TotalMilliseconds:0} ms");
        return (results, (allocatedAfter.Bytes - allocatedBefore.Bytes) / (allocatedAfter.Requests - allocatedBefore.Requests));
    }

    /// <summary>
    /// An open-loop round's p99 and when in the round its requests over 20 ms fell due (their index over the rate; exact
    /// when none failed): one stall shows as a short span, a slow machine as requests spread over the whole round.
    /// </summary>
    private static string WhereSlow(LoadResult run, double rate)
    {
        var slow = run.Latencies.Select((latency, index) => (Latency: latency, DueMs: index / rate * 1000)).Where(r => r.Latency > 20).ToList();
        return slow.Count == 0
            ? $"p99 {run.Percentile(99):0.0} ms, nothing over 20 ms"
            : $"p99 {run.Percentile(99):0.0} ms, {slow.Count} over 20 ms due between +{slow.Min(r => r.DueMs):0} and +{slow.Max(r => r.DueMs):0} ms (slowest {slow.Max(r => r.Latency):0} ms)";
    }

    /// <summary>One GET route on its own, for looking into a figure of the report.</summary>
    public static async Task<int> GetAsync(IReadOnlyList<Uri> urls, double? rate, int seconds)
    {
        var name = $"GET {urls[0].PathAndQuery}{(urls.Count > 1 ? $" and {urls.Count - 1} more" : "")}";
        var run = rate is { } perSecond
            ? await RawHttp.OpenLoopAsync($"{name} at {perSecond}/s, open loop", urls, perSecond, TimeSpan.FromSeconds(seconds), Report.Concurrency)
            : await RawHttp.ClosedLoopAsync($"{name}, closed loop", urls, Report.Concurrency, TimeSpan.FromSeconds(seconds));
        Console.WriteLine(Table.Row(run, run));
        return 0;
    }

    public static void Print(List<LoadResult> reads)
    {
        Console.WriteLine();
        Console.WriteLine("Cached reads (the body and its ETag made once per copy of the poll in memory; lean keep-alive generator, interleaved rounds):");
        Console.WriteLine();
        Console.WriteLine("| scenario | req/s | × baseline | p50 ms | p95 ms | p99 ms | failed |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var run in reads)
        {
            Console.WriteLine(Table.Row(run, reads[0]));
        }
    }
}
