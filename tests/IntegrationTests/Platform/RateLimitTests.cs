using System.Diagnostics;
using System.Globalization;

namespace IntegrationTests.Platform;

/// <summary>
/// Rate limits as clients meet them, on Host processes sharing a real Redis: headers on every limited answer, a 429
/// problem with Retry-After past the limit, budgets per client address, per caller and per tenant, one budget for
/// the whole cluster, and each instance's share while Redis is away.
/// </summary>
public sealed class RateLimitTests
{
    private const string Proxy = "ForwardedHeaders:KnownProxies:0";

    /// <summary>Limits on, the test's loopback client trusted as a proxy (so X-Forwarded-For names the client), and roomy rules unless given.</summary>
    private static Dictionary<string, string> Limits(params (string Policy, int Limit, string Window)[] rules)
    {
        var settings = new Dictionary<string, string> { ["RateLimits:Enabled"] = "true", [Proxy] = "127.0.0.1" };
        foreach (var name in new[] { "Public", "Votes", "Credentials", "Members", "Tenants" })
        {
            settings[$"RateLimits:Policies:{name}:Limit"] = "1000";
            settings[$"RateLimits:Policies:{name}:Window"] = "00:01:00";
        }
        foreach (var (policy, limit, window) in rules)
        {
            settings[$"RateLimits:Policies:{policy}:Limit"] = limit.ToString(CultureInfo.InvariantCulture);
            settings[$"RateLimits:Policies:{policy}:Window"] = window;
        }
        return settings;
    }

    private static HttpRequestMessage From(string client, HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("X-Forwarded-For", client);
        return request;
    }

    private static long Header(HttpResponseMessage response, string name) =>
        long.Parse(response.Headers.GetValues(name).Single(), CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_client_past_its_public_rate_gets_429_with_Retry_After_while_other_clients_and_its_votes_are_not_affected()
    {
        var deployment = await Deployment.CreateAsync();
        await using var host = await HostProcess.StartAsync(deployment, Limits(("Public", 5, "00:01:00"), ("Votes", 3, "00:01:00")));
        var poll = await ApiScript.OpenPollAsync(await ApiScript.AdminOfNewTenantAsync(host), new { duplicateCheck = "none" });
        var client = host.Client();

        for (var expected = 4; expected >= 0; expected--)
        {
            var read = await client.SendAsync(From("203.0.113.7", HttpMethod.Get, $"/api/public/polls/{poll.Id()}"));
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal(5, Header(read, "RateLimit-Limit"));
            Assert.Equal(expected, Header(read, "RateLimit-Remaining"));
            Assert.InRange(Header(read, "RateLimit-Reset"), 1, 60);
        }
        var refused = await client.SendAsync(From("203.0.113.7", HttpMethod.Get, $"/api/public/polls/{poll.Id()}"));
        await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal(0, Header(refused, "RateLimit-Remaining"));
        // One request's worth of the window (60 s / 5) has to pass before the next is allowed.
        Assert.InRange(Header(refused, "Retry-After"), 11, 12);

        var other = await client.SendAsync(From("203.0.113.8", HttpMethod.Get, $"/api/public/polls/{poll.Id()}"));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(4, Header(other, "RateLimit-Remaining"));
        var vote = await client.SendAsync(From("203.0.113.7", HttpMethod.Post, $"/api/public/polls/{poll.Id()}/votes", new { optionIds = new[] { poll.OptionId(0) } }));
        Assert.Equal(HttpStatusCode.Created, vote.StatusCode);
        Assert.Equal(3, Header(vote, "RateLimit-Limit"));

        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains(metrics.Split('\n'), line => line.StartsWith("aspnetcore_rate_limiting_requests_total{", StringComparison.Ordinal)
            && line.Contains("endpoint_limiter", StringComparison.Ordinal) && line.Contains("Public", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_IPv6_client_counts_by_its_64_block_and_an_IPv4_mapped_address_as_its_IPv4_one()
    {
        var deployment = await Deployment.CreateAsync();
        await using var host = await HostProcess.StartAsync(deployment, Limits(("Public", 2, "00:01:00")));
        var poll = await ApiScript.OpenPollAsync(await ApiScript.AdminOfNewTenantAsync(host));
        var client = host.Client();
        Task<HttpResponseMessage> ReadAs(string address) => client.SendAsync(From(address, HttpMethod.Get, $"/api/public/polls/{poll.Id()}"));

        Assert.Equal(HttpStatusCode.OK, (await ReadAs("2001:db8:1:2::a")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ReadAs("2001:db8:1:2:ffff::b")).StatusCode);
        // Another address in the same /64 is the same subscriber: it cannot step around the limit.
        await (await ReadAs("2001:db8:1:2::c")).AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        var neighbour = await ReadAs("2001:db8:1:3::a");
        Assert.Equal(HttpStatusCode.OK, neighbour.StatusCode);
        Assert.Equal(1, Header(neighbour, "RateLimit-Remaining"));

        Assert.Equal(HttpStatusCode.OK, (await ReadAs("198.51.100.4")).StatusCode);
        var mapped = await ReadAs("::ffff:198.51.100.4");
        Assert.Equal(HttpStatusCode.OK, mapped.StatusCode);
        Assert.Equal(0, Header(mapped, "RateLimit-Remaining"));
    }

    [Fact]
    public async Task X_Forwarded_For_names_the_client_only_when_it_comes_through_a_known_proxy()
    {
        var deployment = await Deployment.CreateAsync();
        var settings = Limits(("Public", 2, "00:01:00"));
        settings.Remove(Proxy);
        await using var host = await HostProcess.StartAsync(deployment, settings);
        var poll = await ApiScript.OpenPollAsync(await ApiScript.AdminOfNewTenantAsync(host));
        var client = host.Client();
        // The poll's opening read above came from the same loopback address and used at least one of the two; so does every request here, whatever it claims.
        var statuses = new List<HttpStatusCode>();
        foreach (var claimed in new[] { "198.51.100.1", "198.51.100.2", "198.51.100.3" })
        {
            statuses.Add((await client.SendAsync(From(claimed, HttpMethod.Get, $"/api/public/polls/{poll.Id()}"))).StatusCode);
        }
        Assert.True(statuses.Count(s => s == HttpStatusCode.OK) <= 1, string.Join(", ", statuses));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    [Fact]
    public async Task Member_routes_are_limited_per_caller_and_per_tenant()
    {
        var deployment = await Deployment.CreateAsync();
        await using var host = await HostProcess.StartAsync(deployment, Limits(("Members", 3, "00:01:00"), ("Tenants", 5, "00:01:00")));
        var admin = await ApiScript.AdminOfNewTenantAsync(host);
        var created = await admin.PostAsJsonAsync("/api/api-keys", new { name = "dashboard", role = "editor" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var apiKey = host.Client();
        apiKey.DefaultRequestHeaders.Add("X-Api-Key", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString());
        var otherTenant = await ApiScript.AdminOfNewTenantAsync(host);

        // The admin's own budget: 3, one of them spent on the key.
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/polls")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/polls")).StatusCode);
        await (await admin.GetAsync("/api/polls")).AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        // The tenant's budget: 5, of which the admin has spent 3; the key is refused once it is gone, though its own is not.
        Assert.Equal(HttpStatusCode.OK, (await apiKey.GetAsync("/api/polls")).StatusCode);
        var last = await apiKey.GetAsync("/api/polls");
        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        Assert.Equal(0, Header(last, "RateLimit-Remaining"));
        Assert.Equal(5, Header(last, "RateLimit-Limit"));
        await (await apiKey.GetAsync("/api/polls")).AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        // Another tenant has budgets of its own.
        Assert.Equal(HttpStatusCode.OK, (await otherTenant.GetAsync("/api/polls")).StatusCode);
    }

    [Fact]
    public async Task Two_instances_together_allow_the_configured_rate_within_ten_percent()
    {
        var deployment = await Deployment.CreateAsync();
        // 40 at once, then 20 a second, for the cluster.
        var settings = Limits(("Public", 40, "00:00:02"));
        settings["RateLimits:Instances"] = "2";
        await using var a = await HostProcess.StartAsync(deployment, settings);
        await using var b = await HostProcess.StartAsync(deployment, settings);
        var poll = await ApiScript.OpenPollAsync(await ApiScript.AdminOfNewTenantAsync(a));
        var path = $"/api/public/polls/{poll.Id()}";
        await Eventually.GetAsync(() => b.Client().GetAsync(path), r => r.StatusCode == HttpStatusCode.OK, "the poll public on B");

        var allowed = 0;
        var other = 0;
        var lastSent = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        var duration = TimeSpan.FromSeconds(4);
        await Task.WhenAll(new[] { a, b }.SelectMany(host => Enumerable.Range(0, 4).Select(async _ =>
        {
            using var client = host.Client();
            while (clock.Elapsed < duration)
            {
                var sent = clock.Elapsed;
                var response = await client.SendAsync(From("192.0.2.44", HttpMethod.Get, path));
                lock (clock)
                {
                    lastSent = sent > lastSent ? sent : lastSent;
                }
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref allowed);
                }
                else if (response.StatusCode != HttpStatusCode.TooManyRequests)
                {
                    Interlocked.Increment(ref other);
                }
            }
        })));
        var ended = clock.Elapsed;
        Assert.Equal(0, other);
        // The instances decided between the first request sent and the last answer; on a busy machine the last
        // requests can take a while, so the rate is held to the time the last one was sent at the least.
        Assert.InRange(allowed, (40 + 20 * lastSent.TotalSeconds) * 0.9, (40 + 20 * ended.TotalSeconds) * 1.1);
    }

    [Fact]
    public async Task With_Redis_killed_an_instance_keeps_serving_under_its_share_and_the_cluster_decides_again_once_Redis_is_back()
    {
        await using var redis = new RedisServer();
        await redis.InitializeAsync();
        var deployment = await Deployment.CreateAsync(redis: redis);
        var settings = Limits(("Public", 10, "00:01:00"));
        settings["RateLimits:Instances"] = "2";
        await using var host = await HostProcess.StartAsync(deployment, settings);
        var poll = await ApiScript.OpenPollAsync(await ApiScript.AdminOfNewTenantAsync(host));
        var client = host.Client();
        var path = $"/api/public/polls/{poll.Id()}";
        Assert.Equal(10, Header(await client.SendAsync(From("192.0.2.9", HttpMethod.Get, path)), "RateLimit-Limit"));

        await redis.KillAsync();
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 8; i++)
        {
            answers.Add(await client.SendAsync(From("192.0.2.10", HttpMethod.Get, path)));
        }
        // Half of the cluster's 10 for this instance: five served, then refused, and nothing failed.
        Assert.Equal(5, answers.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(3, answers.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.All(answers.Where(r => r.IsSuccessStatusCode), r => Assert.Equal(5, Header(r, "RateLimit-Limit")));
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains(metrics.Split('\n'), line => line.StartsWith("polling_rate_limits_local_decisions_total{", StringComparison.Ordinal));

        await redis.StartAsync();
        await Eventually.GetAsync(() => client.SendAsync(From("192.0.2.11", HttpMethod.Get, path)),
            r => r.StatusCode == HttpStatusCode.OK && Header(r, "RateLimit-Limit") == 10, "the cluster's limit again", seconds: 20);
    }
}
