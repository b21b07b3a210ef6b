using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace Bench;

/// <summary>
/// Runs the scenarios against a running Host, its PostgreSQL and the baseline server, and prints the report:
/// every figure next to a baseline measured in the same run on the same machine.
/// </summary>
internal static class Report
{
    private const int Concurrency = 32;
    private const int ReadPolls = 200;

    public static async Task<int> RunAsync(Uri api, Uri apiFromRedis, Uri apiLimited, Uri baseline, string postgres, int seconds)
    {
        var duration = TimeSpan.FromSeconds(seconds);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { Timeout = TimeSpan.FromSeconds(30) };
        await using var db = NpgsqlDataSource.Create(postgres);
        var token = await SetUpTenantAsync(http, api);
        var (pollId, options) = await OpenPollAsync(http, api, token);
        var vote = Vote(http, new Uri(api, $"/api/public/polls/{pollId}/votes"), options);
        var baselineVote = Vote(http, new Uri(baseline, "/votes"), options);

        Console.Error.WriteLine("warming up...");
        await Load.ClosedLoopAsync("warm-up", baselineVote, Concurrency, TimeSpan.FromSeconds(3));
        await Load.ClosedLoopAsync("warm-up", vote, Concurrency, TimeSpan.FromSeconds(3));
        await DrainAsync(db);

        Console.Error.WriteLine("closed loop: baseline, then votes...");
        var baselineRun = await Load.ClosedLoopAsync("bare minimal-API POST (baseline)", baselineVote, Concurrency, duration);
        var votesRun = await Load.ClosedLoopAsync("POST /api/public/polls/{id}/votes", vote, Concurrency, duration);
        await DrainAsync(db);

        var (reads, bytesPerRead) = await ReadsAsync(http, api, apiFromRedis, apiLimited, baseline, token, duration);
        var fromRedisCache = await CacheFiguresAsync(http, apiFromRedis);

        // Any instance may count votes, so the tally's figures are summed over all three.
        Uri[] counters = [api, apiFromRedis, apiLimited];
        var tally = new List<(string Load, LoadResult Run, TallyFigures Figures)>();
        foreach (var share in new[] { 0.5, 1.0 })
        {
            Console.Error.WriteLine($"open loop at {share:P0} of the maximum vote rate...");
            var before = await TallyLagAsync(http, counters);
            using var sampling = new CancellationTokenSource();
            var maxBacklog = SampleMaxBacklogAsync(db, sampling.Token);
            var run = await Load.OpenLoopAsync($"votes at {share:P0}", vote, share * votesRun.Throughput, duration);
            var drain = Stopwatch.StartNew();
            await DrainAsync(db);
            drain.Stop();
            await sampling.CancelAsync();
            var lag = (await TallyLagAsync(http, counters)).Since(before);
            tally.Add(($"{share:P0}", run, new TallyFigures(lag.Count / (duration + drain.Elapsed).TotalSeconds, lag.Percentile(0.5), lag.Percentile(0.99), await maxBacklog, drain.Elapsed)));
        }

        Console.Error.WriteLine("pgbench...");
        var pgbenchTps = await PgbenchAsync(db, postgres, seconds);

        Print(baselineRun, votesRun, tally, pgbenchTps);
        PrintReads(reads);
        Console.WriteLine();
        Console.WriteLine($"The L2 instance's cache during the run (from its /metrics): {fromRedisCache}.");
        Console.WriteLine($"A cached read (L1) allocated {bytesPerRead:0} bytes on the instance's GC heap (its /metrics over the closed-loop rounds).");
        var (limitsOff, limitsOn) = (reads[1], reads[3]);
        Console.WriteLine($"Rate limits on (one Redis script per request) against off, the same cached read: {limitsOn.Throughput:0}/s against {limitsOff.Throughput:0}/s = "
            + $"{limitsOn.Throughput / limitsOff.Throughput:0.00}×, p99 {limitsOn.Percentile(99):0.0} ms against {limitsOff.Percentile(99):0.0} ms.");
        return 0;
    }

    /// <summary>
    /// The public poll views of <see cref="ReadPolls"/> polls, read in turn (so that concurrent readers seldom share
    /// one load of the same key), served from the instance's memory (L1), their public results from Redis (an instance
    /// that keeps no local copies: every read of them is an L1 miss and an L2 hit; a poll's view is made from the poll
    /// each instance keeps in memory, so it never comes from Redis), and a bare GET of the view's size, each measured
    /// with the lean generator in interleaved rounds, so that a drift in the machine's speed touches all alike. The L1 read is
    /// measured a second time on an instance with the rate limits on (the others run with them off, as configuration allows).
    /// </summary>
    private static async Task<(List<LoadResult> Runs, double BytesPerRead)> ReadsAsync(HttpClient http, Uri api, Uri apiFromRedis, Uri apiLimited, Uri baseline, string token, TimeSpan duration)
    {
        Console.Error.WriteLine($"reads: {ReadPolls} polls; a bare GET of the same size, the cached poll views from memory, their results from Redis...");
        var views = new List<Uri>();
        for (var i = 0; i < ReadPolls; i++)
        {
            views.Add(new Uri(api, $"/api/public/polls/{(await OpenPollAsync(http, api, token)).PollId}"));
        }
        var resultsFromRedis = views.Select(view => new Uri(apiFromRedis, view.PathAndQuery + "/results")).ToList();
        var viewsLimited = views.Select(view => new Uri(apiLimited, view.PathAndQuery)).ToList();
        var viewSize = (await http.GetByteArrayAsync(views[0])).Length;
        var routes = new (string Name, IReadOnlyList<Uri> Urls)[]
        {
            ($"bare minimal-API GET, {viewSize} B of JSON (baseline)", [new Uri(baseline, $"/json/{viewSize}")]),
            ($"GET /api/public/polls/{{id}}, {ReadPolls} polls, cached in memory (L1)", views),
            ($"GET /api/public/polls/{{id}}/results, {ReadPolls} polls, L1 miss, from Redis (L2), {(await http.GetByteArrayAsync(resultsFromRedis[0])).Length} B", resultsFromRedis),
            ($"GET /api/public/polls/{{id}}, {ReadPolls} polls, L1, rate limits on", viewsLimited),
        };
        // The Host's JIT needs about ten seconds of this load on two cores to finish compiling the read path's optimised
        // code (the first 15 s after start ran at 0.6 of the rate that followed); the bare endpoint is warm in one.
        foreach (var (_, urls) in routes)
        {
            await RawHttp.ClosedLoopAsync("warm-up", urls, Concurrency, TimeSpan.FromSeconds(10));
        }
        const int rounds = 3;
        var runs = routes.Select(_ => new List<LoadResult>()).ToArray();
        var allocatedBefore = await AllocationAsync(http, api);
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < routes.Length; i++)
            {
                runs[i].Add(await RawHttp.ClosedLoopAsync(routes[i].Name, routes[i].Urls, Concurrency, duration / rounds));
            }
        }
        var allocatedAfter = await AllocationAsync(http, api);
        var results = runs.Select(LoadResult.Combine).ToList();
        // The same offered rate on the bare endpoint tells how much of the tail is the machine's and the generator's.
        // Interleaved rounds here too: this machine's hiccups (seconds in which the processes get little CPU, seen as
        // missing ticks in /proc/stat) would otherwise land on one side only and decide the comparison.
        var half = results[1].Throughput / 2;
        var bareTail = new List<LoadResult>();
        var cachedTail = new List<LoadResult>();
        var gcBefore = await GcFiguresAsync(http, api);
        var generatorPausedBefore = GC.GetTotalPauseDuration();
        for (var round = 0; round < rounds; round++)
        {
            var before = await ActivityAsync(http, api);
            bareTail.Add(await RawHttp.OpenLoopAsync("bare GET at the same rate, open loop (baseline for the tail)", routes[0].Urls, half, duration / rounds, Concurrency));
            var between = await ActivityAsync(http, api);
            cachedTail.Add(await RawHttp.OpenLoopAsync("GET /api/public/polls/{id} (L1) at 50 % of its maximum rate, open loop", views, half, duration / rounds, Concurrency));
            var after = await ActivityAsync(http, api);
            Console.Error.WriteLine($"tail round {round + 1}: bare {WhereSlow(bareTail[^1], half)}, the instance meanwhile {between - before}; "
                + $"cached {WhereSlow(cachedTail[^1], half)}, the instance {after - between}");
        }
        results.Add(LoadResult.Combine(bareTail));
        results.Add(LoadResult.Combine(cachedTail));
        var generatorPaused = GC.GetTotalPauseDuration() - generatorPausedBefore;
        var gcAfter = await GcFiguresAsync(http, api);
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

    /// <summary>What an instance did besides serving reads: cache loads, new database connections, garbage collections.</summary>
    private sealed record Activity(double Loads, double Connections, double Collections)
    {
        public static Activity operator -(Activity a, Activity b) => new(a.Loads - b.Loads, a.Connections - b.Connections, a.Collections - b.Collections);

        public override string ToString() => $"{Loads:0} cache loads, {Connections:0} new connections, {Collections:0} GCs";
    }

    private static async Task<Activity> ActivityAsync(HttpClient http, Uri api)
    {
        var sum = await MetricsAsync(http, api);
        return new(sum("fusioncache_factory_success_total", null) + sum("fusioncache_factory_error_total", null),
            sum("db_client_connection_npgsql_create_time_seconds_count", null), sum("dotnet_gc_collections_total", null));
    }

    /// <summary>An instance's garbage collections so far and the time they paused it, from its /metrics.</summary>
    private static async Task<(long Collections, long Gen2, double PauseSeconds)> GcFiguresAsync(HttpClient http, Uri api)
    {
        var sum = await MetricsAsync(http, api);
        return ((long)sum("dotnet_gc_collections_total", null), (long)sum("dotnet_gc_collections_total", "gc_heap_generation=\"gen2\""), sum("dotnet_gc_pause_time_seconds_total", null));
    }

    /// <summary>
    /// The bytes an instance has allocated on its GC heap and the requests it has answered: over the closed-loop
    /// rounds, in which it serves only the L1 reads, their quotient is what a cached read allocates.
    /// </summary>
    private static async Task<(double Bytes, double Requests)> AllocationAsync(HttpClient http, Uri api)
    {
        var sum = await MetricsAsync(http, api);
        return (sum("dotnet_gc_heap_total_allocated_bytes_total", null), sum("http_server_request_duration_seconds_count", null));
    }

    /// <summary>An instance's cache counters, so the report shows where its reads were answered.</summary>
    private static async Task<string> CacheFiguresAsync(HttpClient http, Uri api)
    {
        var sum = await MetricsAsync(http, api);
        var fromRedis = sum("fusioncache_distributed_hit_total", null);
        return $"{N(sum("fusioncache_cache_hit_total", null) - fromRedis)} memory hits, {N(fromRedis)} loads from Redis, "
            + $"{N(sum("fusioncache_factory_success_total", null))} from the database";
    }

    /// <summary>An instance's /metrics, read once: the sum of a metric's series, of those with a given label if one is named.</summary>
    private static async Task<Func<string, string?, double>> MetricsAsync(HttpClient http, Uri api)
    {
        var lines = (await http.GetStringAsync(new Uri(api, "/metrics"))).Split('\n');
        return (name, label) => lines
            .Where(l => (l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
                && (label is null || l.Contains(label, StringComparison.Ordinal)))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    /// <summary>One GET route on its own, for looking into a figure of the report.</summary>
    public static async Task<int> GetAsync(IReadOnlyList<Uri> urls, double? rate, int seconds)
    {
        var name = $"GET {urls[0].PathAndQuery}{(urls.Count > 1 ? $" and {urls.Count - 1} more" : "")}";
        var run = rate is { } perSecond
            ? await RawHttp.OpenLoopAsync($"{name} at {perSecond}/s, open loop", urls, perSecond, TimeSpan.FromSeconds(seconds), Concurrency)
            : await RawHttp.ClosedLoopAsync($"{name}, closed loop", urls, Concurrency, TimeSpan.FromSeconds(seconds));
        Console.WriteLine(Row(run, run));
        return 0;
    }

    private static void PrintReads(List<LoadResult> reads)
    {
        Console.WriteLine();
        Console.WriteLine("Cached reads (the body and its ETag made once per poll version; lean keep-alive generator, interleaved rounds):");
        Console.WriteLine();
        Console.WriteLine("| scenario | req/s | × baseline | p50 ms | p95 ms | p99 ms | failed |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var run in reads)
        {
            Console.WriteLine(Row(run, reads[0]));
        }
    }

    private static Func<Task<bool>> Vote(HttpClient http, Uri route, Guid[] options)
    {
        var next = 0;
        return async () =>
        {
            var option = options[Interlocked.Increment(ref next) % options.Length];
            using var content = new StringContent($"{{\"optionIds\":[\"{option}\"]}}", Encoding.UTF8, "application/json");
            try
            {
                using var response = await http.PostAsync(route, content);
                return response.StatusCode == HttpStatusCode.Created;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        };
    }

    /// <summary>A new tenant, signed up and logged in as its admin; returns the admin's access token.</summary>
    private static async Task<string> SetUpTenantAsync(HttpClient http, Uri api)
    {
        var slug = "bench-" + Guid.NewGuid().ToString("N")[..10];
        const string password = "benchmark passphrase";
        (await http.PostAsJsonAsync(new Uri(api, "/api/tenants"), new { name = slug, slug, adminEmail = $"a@{slug}.example", adminPassword = password })).EnsureSuccessStatusCode();
        var login = await http.PostAsJsonAsync(new Uri(api, "/api/auth/token"), new { tenant = slug, email = $"a@{slug}.example", password });
        return (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    /// <summary>A poll created and opened, once the public can see it.</summary>
    private static async Task<(Guid PollId, Guid[] Options)> OpenPollAsync(HttpClient http, Uri api, string token)
    {
        using var create = new HttpRequestMessage(HttpMethod.Post, new Uri(api, "/api/polls"))
        {
            Content = JsonContent.Create(new
            {
                question = "Benchmark?",
                options = new[] { new { text = "A" }, new { text = "B" }, new { text = "C" } },
                resultsVisibility = "always",
                duplicateCheck = "none",
            }),
        };
        create.Headers.Authorization = new("Bearer", token);
        var poll = await (await http.SendAsync(create)).Content.ReadFromJsonAsync<JsonElement>();
        var pollId = poll.GetProperty("id").GetGuid();
        using var open = new HttpRequestMessage(HttpMethod.Post, new Uri(api, $"/api/polls/{pollId}/open"));
        open.Headers.Authorization = new("Bearer", token);
        (await http.SendAsync(open)).EnsureSuccessStatusCode();
        while ((await http.GetAsync(new Uri(api, $"/api/public/polls/{pollId}"))).StatusCode != HttpStatusCode.OK)
        {
            await Task.Delay(50);
        }
        return (pollId, poll.GetProperty("options").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()).ToArray());
    }

    private sealed record TallyFigures(double CountedPerSecond, double LagP50, double LagP99, long MaxBacklog, TimeSpan Drain);

    /// <summary>The tally's lag histogram (votes.tally_lag), summed over the instances' /metrics.</summary>
    private static async Task<LagHistogram> TallyLagAsync(HttpClient http, IEnumerable<Uri> instances)
    {
        var buckets = new SortedDictionary<double, double>();
        foreach (var instance in instances)
        {
            foreach (var line in (await http.GetStringAsync(new Uri(instance, "/metrics"))).Split('\n').Where(l => l.StartsWith("votes_tally_lag_milliseconds_bucket{", StringComparison.Ordinal)))
            {
                var le = line[(line.IndexOf("le=\"", StringComparison.Ordinal) + 4)..];
                le = le[..le.IndexOf('"', StringComparison.Ordinal)];
                var bound = le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);
                buckets[bound] = buckets.GetValueOrDefault(bound) + double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }
        return new LagHistogram(buckets);
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

    private static async Task DrainAsync(NpgsqlDataSource db)
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

    /// <summary>
    /// The database baseline: pgbench inserting vote-shaped rows (a uuid, a uuid array, a timestamp) with the same
    /// client count, i.e. what PostgreSQL alone does with the vote's one durable write.
    /// </summary>
    private static async Task<double> PgbenchAsync(NpgsqlDataSource db, string postgres, int seconds)
    {
        await using (var create = db.CreateCommand("CREATE TABLE IF NOT EXISTS public.pgbench_votes (id uuid PRIMARY KEY, poll_id uuid, option_ids uuid[], cast_at timestamptz)"))
        {
            await create.ExecuteNonQueryAsync();
        }
        var script = Path.GetTempFileName();
        await File.WriteAllTextAsync(script, "INSERT INTO public.pgbench_votes VALUES (gen_random_uuid(), gen_random_uuid(), ARRAY[gen_random_uuid()], now());\n");
        var connection = new NpgsqlConnectionStringBuilder(postgres);
        var pgbench = File.Exists("/usr/bin/pgbench") ? "/usr/bin/pgbench" : Directory.GetFiles("/usr/lib/postgresql", "pgbench", SearchOption.AllDirectories)[0];
        var start = new ProcessStartInfo(pgbench,
            ["-n", "-c", Concurrency.ToString(CultureInfo.InvariantCulture), "-j", "2", "-T", seconds.ToString(CultureInfo.InvariantCulture),
             "-f", script, "-h", connection.Host!, "-p", connection.Port.ToString(CultureInfo.InvariantCulture), "-U", connection.Username!, connection.Database!])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        File.Delete(script);
        var tps = output.Split('\n').First(l => l.StartsWith("tps = ", StringComparison.Ordinal));
        return double.Parse(tps["tps = ".Length..].Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private static void Print(LoadResult baseline, LoadResult votes, List<(string Load, LoadResult Run, TallyFigures Figures)> tally, double pgbenchTps)
    {
        Console.WriteLine($"# Benchmark report ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {Concurrency} connections)");
        Console.WriteLine();
        Console.WriteLine("| scenario | req/s | × baseline | p50 ms | p95 ms | p99 ms | failed |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var run in new[] { baseline, votes })
        {
            Console.WriteLine(Row(run, baseline));
        }
        Console.WriteLine();
        Console.WriteLine($"pgbench, one vote-shaped INSERT per transaction: {N(pgbenchTps)} tps; votes reach {(votes.Throughput / pgbenchTps).ToString("0.00", CultureInfo.InvariantCulture)}× of it.");
        Console.WriteLine();
        Console.WriteLine("The tally under an open-loop vote load; lag is from a vote being cast to its being counted (percentiles");
        Console.WriteLine("read from the instances' votes.tally_lag histograms, interpolated within a bucket):");
        Console.WriteLine();
        Console.WriteLine("| load | votes/s offered | vote p50 / p99 ms | counted/s | lag p50 ms | lag p99 ms | max uncounted | drained after |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var (load, run, f) in tally)
        {
            Console.WriteLine($"| {load} | {N(run.Throughput)} | {Ms(run.Percentile(50))} / {Ms(run.Percentile(99))} | {N(f.CountedPerSecond)} | {Ms(f.LagP50)} | {Ms(f.LagP99)} | {f.MaxBacklog} | {f.Drain.TotalMilliseconds:0} ms |");
        }
    }

    private static string Row(LoadResult run, LoadResult baseline) =>
        $"| {run.Name} | {N(run.Throughput)} | {(run.Throughput / baseline.Throughput).ToString("0.00", CultureInfo.InvariantCulture)} | {Ms(run.Percentile(50))} | {Ms(run.Percentile(95))} | {Ms(run.Percentile(99))} | {run.Failed} |";

    private static string Ms(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);

    private static string N(double value) => value.ToString("0", CultureInfo.InvariantCulture);
}
