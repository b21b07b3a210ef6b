using System.Diagnostics;

namespace IntegrationTests.Caching;

/// <summary>Two real Host processes sharing PostgreSQL and a Redis of this class's own. Run alone: they time reads in milliseconds.</summary>
[Collection(QuietMachine.Name)]
public sealed class CacheAcrossInstancesTests : IAsyncLifetime
{
    private readonly RedisServer _redis = new();

    public Task InitializeAsync() => _redis.InitializeAsync();

    public Task DisposeAsync() => _redis.DisposeAsync();

    private static async Task<string> StatusAsync(HostProcess host, Guid pollId) =>
        (await host.Client().GetFromJsonAsync<JsonElement>($"/api/public/polls/{pollId}")).GetProperty("status").GetString()!;

    [Fact]
    public async Task A_poll_closed_through_one_instance_is_seen_closed_by_the_other_within_100_ms_of_the_first()
    {
        var deployment = await Deployment.CreateAsync(redis: _redis);
        await using var a = await HostProcess.StartAsync(deployment);
        await using var b = await HostProcess.StartAsync(deployment);
        var admin = await ApiScript.AdminOfNewTenantAsync(a);
        var gaps = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            var poll = await ApiScript.OpenPollAsync(admin);
            // Both instances now hold the open poll in memory.
            Assert.Equal("open", await StatusAsync(a, poll.Id()));
            await Eventually.GetAsync(() => StatusAsync(b, poll.Id()), s => s == "open", "B sees the poll open");
            (await admin.PostAsync($"/api/polls/{poll.Id()}/close", null)).EnsureSuccessStatusCode();

            // Whichever instance applied the change drops its copy at once; the other hears of it over the backplane.
            var clock = Stopwatch.StartNew();
            TimeSpan? seenByA = null, seenByB = null;
            while ((seenByA is null || seenByB is null) && clock.Elapsed < TimeSpan.FromSeconds(10))
            {
                var (atA, atB) = (StatusAsync(a, poll.Id()), StatusAsync(b, poll.Id()));
                if (seenByA is null && await atA == "closed")
                {
                    seenByA = clock.Elapsed;
                }
                if (seenByB is null && await atB == "closed")
                {
                    seenByB = clock.Elapsed;
                }
            }
            Assert.True(seenByA is not null && seenByB is not null, "both instances see the poll closed");
            gaps.Add((seenByA!.Value - seenByB!.Value).Duration());
        }
        // The median of five, so that one scheduling hiccup on a busy test machine does not decide it.
        Assert.True(gaps.Order().ElementAt(2) < TimeSpan.FromMilliseconds(100), string.Join(", ", gaps));
    }

    [Fact]
    public async Task Public_results_are_shared_through_redis_while_the_tenant_directory_and_poll_views_stay_in_memory()
    {
        var deployment = await Deployment.CreateAsync(redis: _redis);
        await using var a = await HostProcess.StartAsync(deployment);
        var admin = await ApiScript.AdminOfNewTenantAsync(a);
        var poll = await ApiScript.OpenPollAsync(admin, new { resultsVisibility = "always" });
        (await a.Client().GetAsync($"/api/public/polls/{poll.Id()}")).EnsureSuccessStatusCode();
        (await a.Client().GetAsync($"/api/public/polls/{poll.Id()}/results")).EnsureSuccessStatusCode();

        await using var redis = await _redis.ConnectAsync();
        var keys = await Eventually.GetAsync(() => Task.FromResult(redis.GetServer(redis.GetEndPoints()[0]).Keys(pattern: "*").Select(k => k.ToString()).ToList()),
            all => all.Any(k => k.Contains($"votes:results:{poll.Id():N}", StringComparison.Ordinal)), "the poll's results in Redis");
        Assert.DoesNotContain(keys, k => k.Contains("directory:", StringComparison.Ordinal));
        // The view is made from the poll each instance holds in memory anyway: a trip to Redis would cost more than making it.
        Assert.DoesNotContain(keys, k => k.Contains("votes:view:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_redis_killed_under_load_both_instances_answer_fast_without_5xx_and_caching_resumes_when_it_is_back()
    {
        var deployment = await Deployment.CreateAsync(redis: _redis);
        await using var a = await HostProcess.StartAsync(deployment);
        await using var b = await HostProcess.StartAsync(deployment);
        var admin = await ApiScript.AdminOfNewTenantAsync(a);
        var poll = await ApiScript.OpenPollAsync(admin, new { duplicateCheck = "none", resultsVisibility = "always" });
        var hosts = new[] { a, b };

        // Warm: a fresh process spends its first seconds compiling the read and vote paths (p99 over 400 ms in a CI run),
        // which is not what this times.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => LoadAsync(hosts[i % 2], poll, new Outage(), TimeSpan.FromSeconds(3)))));

        // Readers and voters on both instances, before, during and after the kill; each loop stops by itself.
        var outage = new Outage();
        var loops = Enumerable.Range(0, 4).Select(i => Task.Run(() => LoadAsync(hosts[i % 2], poll, outage, TimeSpan.FromSeconds(6)))).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await _redis.KillAsync();
        outage.Began();
        var results = (await Task.WhenAll(loops)).SelectMany(r => r).ToList();
        Assert.All(results, r => Assert.True((int)r.Status < 500, $"{r.Status} during the run"));
        var readsDuringOutage = results.Where(r => r.DuringOutage && r.IsRead).Select(r => r.Elapsed).Order().ToList();
        Assert.True(readsDuringOutage.Count > 50, $"{readsDuringOutage.Count} reads during the outage");
        var p99 = P99(readsDuringOutage);
        var p99Before = P99(results.Where(r => !r.DuringOutage && r.IsRead).Select(r => r.Elapsed).Order().ToList());
        var slowest = results.Where(r => r.DuringOutage && r.IsRead).OrderByDescending(r => r.Elapsed).Take(12)
            .Select(r => $"{r.Route} {r.Elapsed.TotalMilliseconds:0} ms at +{r.SinceOutage.TotalMilliseconds:0} ms");
        // Within 50 ms at p99 (alone, on this project's 2-core machines, it is); the end of a full suite run leaves the
        // machine busier than that even before the kill (p99 142-458 ms in CI runs), and there the outage must cost the
        // reads nothing beyond what the machine already does: no more than twice the p99 before it.
        var bound = TimeSpan.FromMilliseconds(Math.Max(50, 2 * p99Before.TotalMilliseconds));
        Assert.True(p99 < bound, $"p99 of {readsDuringOutage.Count} reads during the outage {p99.TotalMilliseconds:0.0} ms (before it: {p99Before.TotalMilliseconds:0.0} ms); slowest: {string.Join(", ", slowest)}");
        var votes = results.Count(r => !r.IsRead);
        Assert.Equal(votes, results.Count(r => r.Status == HttpStatusCode.Created));

        var another = await ApiScript.OpenPollAsync(admin);
        Assert.Equal(HttpStatusCode.OK, (await b.Client().GetAsync($"/api/public/polls/{another.Id()}")).StatusCode);
        // Still ready (the balancer keeps sending traffic), with Redis reported degraded and the breaker's trips counted.
        Assert.Equal("Degraded", await RedisReadinessAsync(a));
        Assert.Matches(@"(?m)^fusioncache_distributed_circuit_breaker_change_total\{[^}]*\} [1-9]", await a.Client().GetStringAsync("/metrics"));

        // Back: the instances use Redis again by themselves (new lookups are stored there).
        await _redis.StartAsync();
        await Eventually.GetAsync(async () =>
        {
            var fresh = await ApiScript.OpenPollAsync(admin);
            await b.Client().GetAsync($"/api/public/polls/{fresh.Id()}");
            return await RedisKeyCountAsync();
        }, n => n > 0, "entries in Redis again", seconds: 30);
        await Eventually.GetAsync(() => RedisReadinessAsync(a), s => s == "Healthy", "Redis healthy again");
    }

    [Fact]
    public async Task A_poll_closed_while_redis_is_down_is_seen_closed_by_both_instances_within_seconds_of_its_return()
    {
        var deployment = await Deployment.CreateAsync(redis: _redis);
        await using var a = await HostProcess.StartAsync(deployment);
        await using var b = await HostProcess.StartAsync(deployment);
        var admin = await ApiScript.AdminOfNewTenantAsync(a);
        var poll = await ApiScript.OpenPollAsync(admin);
        Assert.Equal("open", await StatusAsync(a, poll.Id()));
        await Eventually.GetAsync(() => StatusAsync(b, poll.Id()), s => s == "open", "B holds the poll open");

        await _redis.KillAsync();
        (await admin.PostAsync($"/api/polls/{poll.Id()}/close", null)).EnsureSuccessStatusCode();
        // B cannot hear of it while Redis is away; its copy is the fail-safe the outage is for.
        await Task.Delay(TimeSpan.FromSeconds(1));
        await _redis.StartAsync();
        var back = Stopwatch.StartNew();
        // A replays what it could not send once it has reconnected (about a second) and waited Caching:AutoRecoveryDelay (1 s).
        await Eventually.GetAsync(async () => (await StatusAsync(a, poll.Id()), await StatusAsync(b, poll.Id())),
            s => s == ("closed", "closed"), "both see the poll closed", seconds: 20);
        Assert.True(back.Elapsed < TimeSpan.FromSeconds(8), $"seen closed {back.Elapsed} after Redis returned");
        // Each instance also expires its own copies once its subscription is back (it may have missed invalidations):
        // that must happen, not fail in the memory cache.
        await Eventually.GetAsync(() => Task.FromResult(b.Output), output => output.Contains("Redis is back", StringComparison.Ordinal), "B's copies expired");
        foreach (var host in new[] { a, b })
        {
            Assert.DoesNotContain("an error occurred while saving an entry in the memory cache", host.Output, StringComparison.Ordinal);
        }
    }

    private sealed class Outage
    {
        private long _beganAt = long.MaxValue;

        public void Began() => Interlocked.Exchange(ref _beganAt, Stopwatch.GetTimestamp());

        public bool Started(long timestamp) => timestamp >= Interlocked.Read(ref _beganAt);

        public TimeSpan Since(long timestamp) => Started(timestamp) ? Stopwatch.GetElapsedTime(Interlocked.Read(ref _beganAt), timestamp) : TimeSpan.Zero;
    }

    private sealed record Answer(bool IsRead, string Route, HttpStatusCode Status, TimeSpan Elapsed, bool DuringOutage, TimeSpan SinceOutage);

    private static TimeSpan P99(List<TimeSpan> sorted) => sorted[(int)Math.Ceiling(sorted.Count * 0.99) - 1];

    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(10);

    private static async Task<List<Answer>> LoadAsync(HostProcess host, JsonElement poll, Outage outage, TimeSpan duration)
    {
        var client = host.Client();
        var answers = new List<Answer>();
        var run = Stopwatch.StartNew();
        for (var i = 0; run.Elapsed < duration; i++)
        {
            // A steady pace, well below what the machine can serve: the reads' latency then shows what the outage
            // costs them, not the queueing of a saturated machine (closed loops at full speed measured that).
            var due = Pace * i;
            if (due > run.Elapsed)
            {
                await Task.Delay(due - run.Elapsed);
            }
            var started = Stopwatch.GetTimestamp();
            var isRead = i % 3 != 0;
            var route = (i % 3) switch { 0 => "vote", 1 => "poll", _ => "results" };
            using var response = isRead
                ? await client.GetAsync(i % 3 == 1 ? $"/api/public/polls/{poll.Id()}" : $"/api/public/polls/{poll.Id()}/results")
                : await client.PostAsJsonAsync($"/api/public/polls/{poll.Id()}/votes", new { optionIds = new[] { poll.OptionId(0) } });
            answers.Add(new Answer(isRead, route, response.StatusCode, Stopwatch.GetElapsedTime(started), outage.Started(started), outage.Since(started)));
        }
        return answers;
    }

    private static async Task<string?> RedisReadinessAsync(HostProcess host)
    {
        var ready = await host.Client().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        return (await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").GetProperty("redis").GetProperty("status").GetString();
    }

    private async Task<long> RedisKeyCountAsync()
    {
        await using var redis = await _redis.ConnectAsync();
        return await redis.GetServer(redis.GetEndPoints()[0]).DatabaseSizeAsync();
    }
}
