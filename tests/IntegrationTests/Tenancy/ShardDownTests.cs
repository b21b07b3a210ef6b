using System.Diagnostics;

namespace IntegrationTests.Tenancy;

/// <summary>Shard-1 on a PostgreSQL server of this class's own, which the test stops.</summary>
public sealed class ShardDownFixture : ApiFixture
{
    public PostgresServer SecondServer { get; private set; } = null!;

    protected override async Task<Deployment> CreateDeploymentAsync()
    {
        SecondServer = await PostgresServer.StartPrivateAsync();
        return await Deployment.CreateAsync(SecondServer);
    }
}

public sealed class ShardDownTests(ShardDownFixture api) : IClassFixture<ShardDownFixture>
{
    [Fact]
    public async Task Tenants_of_a_shard_that_is_down_get_a_quick_503_and_the_other_shard_carries_on()
    {
        var tenants = await api.TenantOnEachShardAsync();
        var (up, down) = (tenants["shard-0"], tenants["shard-1"]);
        var downPoll = await down.OpenPollAsync();

        await api.SecondServer.StopAsync();
        try
        {
            // (The public view of the poll may still be served for a few seconds from the cache, so it is not on this list.)
            foreach (var request in new Func<Task<HttpResponseMessage>>[]
            {
                () => down.Admin().GetAsync("/api/polls"),
                () => down.Admin().PostAsJsonAsync("/api/polls", PollBodies.Valid()),
                () => api.Anonymous().PostAsJsonAsync($"/api/public/polls/{downPoll.Id()}/votes", new { optionIds = new[] { downPoll.OptionId(0) }, voterKey = "v1" }),
                () => api.Anonymous().PostAsJsonAsync("/api/auth/token", new { tenant = down.Slug, email = down.AdminEmail, password = ApiFixture.Password }),
            })
            {
                var clock = Stopwatch.StartNew();
                var response = await request();
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"answered in {clock.Elapsed}");
                await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "unavailable");
                Assert.NotNull(response.Headers.RetryAfter);
            }

            // The other shard's tenant notices nothing: it creates, opens and takes votes.
            var upPoll = await up.OpenPollAsync();
            var vote = await api.Anonymous().PostAsJsonAsync($"/api/public/polls/{upPoll.Id()}/votes", new { optionIds = new[] { upPoll.OptionId(0) }, voterKey = "v1" });
            Assert.Equal(HttpStatusCode.Created, vote.StatusCode);
            await up.ResultsWhenCountedAsync(upPoll.Id(), 1);
            // Still ready: one shard down is a degraded service, not a reason to leave the balancer.
            Assert.Equal(HttpStatusCode.OK, (await api.Anonymous().GetAsync("/health/ready")).StatusCode);
        }
        finally
        {
            await api.SecondServer.StartAgainAsync();
        }
        await Eventually.GetAsync(async () => (await down.Admin().GetAsync("/api/polls")).StatusCode, s => s == HttpStatusCode.OK, "the shard's tenant served again");
    }
}
