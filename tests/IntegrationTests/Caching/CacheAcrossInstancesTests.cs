using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationTests.Fixtures;

namespace IntegrationTests.Caching;

/// <summary>Two real Host processes sharing PostgreSQL and a Redis of this class's own.</summary>
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
        for (var i = 0; i < 3; i++)
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
        // The median of three, so that one scheduling hiccup on a busy test machine does not decide it.
        Assert.True(gaps.Order().ElementAt(1) < TimeSpan.FromMilliseconds(100), string.Join(", ", gaps));
    }

    [Fact]
    public async Task With_redis_stopped_both_instances_serve_reads_and_votes_without_5xx_and_caching_resumes_when_it_is_back()
    {
        var deployment = await Deployment.CreateAsync(redis: _redis);
        await using var a = await HostProcess.StartAsync(deployment);
        await using var b = await HostProcess.StartAsync(deployment);
        var admin = await ApiScript.AdminOfNewTenantAsync(a);
        var poll = await ApiScript.OpenPollAsync(admin, new { duplicateCheck = "none", resultsVisibility = "always" });

        _redis.Kill();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            var host = i % 2 == 0 ? a : b;
            statuses.Add((await host.Client().GetAsync($"/api/public/polls/{poll.Id()}")).StatusCode);
            statuses.Add((await host.Client().PostAsJsonAsync($"/api/public/polls/{poll.Id()}/votes", new { optionIds = new[] { poll.OptionId(0) } })).StatusCode);
            statuses.Add((await host.Client().GetAsync($"/api/public/polls/{poll.Id()}/results")).StatusCode);
        }
        var another = await ApiScript.OpenPollAsync(admin);
        statuses.Add((await b.Client().GetAsync($"/api/public/polls/{another.Id()}")).StatusCode);
        Assert.All(statuses, s => Assert.True((int)s < 500, $"{s}"));
        Assert.Equal(40, statuses.Count(s => s == HttpStatusCode.Created));
        // Still ready (the balancer keeps sending traffic), with Redis reported degraded and the failures counted.
        Assert.Equal("Degraded", await RedisReadinessAsync(a));
        Assert.Matches(@"(?m)^cache_redis_failures_total [1-9]", await a.Client().GetStringAsync("/metrics"));

        // Back: the instances use Redis again by themselves (new lookups are stored there).
        await _redis.StartAsync();
        await Eventually.GetAsync(async () =>
        {
            var fresh = await ApiScript.OpenPollAsync(admin);
            await b.Client().GetAsync($"/api/public/polls/{fresh.Id()}");
            return await RedisKeysAsync();
        }, n => n > 0, "entries in Redis again", seconds: 30);
        Assert.Equal("Healthy", await RedisReadinessAsync(a));
    }

    private static async Task<string?> RedisReadinessAsync(HostProcess host)
    {
        var ready = await host.Client().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        return (await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").GetProperty("redis").GetProperty("status").GetString();
    }

    private async Task<long> RedisKeysAsync()
    {
        await using var client = new Shared.Redis.RedisClient(Shared.Redis.RedisOptions.Parse(_redis.ConnectionString()),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<Shared.Redis.RedisClient>.Instance);
        return (long)(await client.EvaluateAsync(new Shared.Redis.RedisScript("return redis.call('DBSIZE')"), []))!;
    }
}
