namespace IntegrationTests.Tenancy;

/// <summary>Moving a tenant between shards on two servers while the public votes on its poll.</summary>
public sealed class TenantMoveTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const int Voters = 400;

    /// <summary>Votes once as <paramref name="voterKey"/>, retrying while the tenant is briefly unavailable; returns the final status.</summary>
    private static async Task<HttpStatusCode> VoteAsync(HttpClient client, JsonElement poll, string voterKey, int option) =>
        (await Retrying.WhileUnavailableAsync(
            () => client.PostAsJsonAsync($"/api/public/polls/{poll.Id()}/votes", new { optionIds = new[] { poll.OptionId(option) }, voterKey }),
            attempts: 101, TimeSpan.FromMilliseconds(50))).StatusCode;

    [Fact]
    public async Task A_tenant_moved_under_concurrent_voting_keeps_every_acknowledged_vote_and_its_duplicate_checks()
    {
        var tenant = await api.NewTenantAsync();
        var from = await api.Deployment.ShardOfAsync(tenant.TenantId);
        var to = from == "shard-0" ? "shard-1" : "shard-0";
        var key = await (await tenant.Admin().PostAsJsonAsync("/api/api-keys", new { name = "server", role = "viewer" })).Content.ReadFromJsonAsync<JsonElement>();
        var poll = await tenant.OpenPollAsync(new { duplicateCheck = "voter" });

        var statuses = new HttpStatusCode[Voters];
        var voting = Parallel.ForAsync(0, Voters, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            statuses[i] = await VoteAsync(api.Anonymous(), poll, $"voter-{i}", i % 3));
        // Let the voting get going, then move the tenant in the middle of it.
        await Eventually.GetAsync(() => Task.FromResult(statuses.Count(s => s == HttpStatusCode.Created)), n => n >= Voters / 4, "a quarter of the votes in");
        var moved = await api.Operator().PostAsJsonAsync($"/api/ops/tenants/{tenant.TenantId}/move", new { toShard = to });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var report = await moved.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(from, report.GetProperty("fromShard").GetString());
        Assert.Equal(to, report.GetProperty("toShard").GetString());
        await voting;

        // Every voter was acknowledged exactly once, and exactly those votes are stored and counted, on the new shard.
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Created, s));
        Assert.Equal(to, await api.Deployment.ShardOfAsync(tenant.TenantId));
        Assert.Equal(Voters, await api.Deployment.ShardScalarAsync(to, "SELECT count(*) FROM votes.votes WHERE poll_id = $1", poll.Id()));
        Assert.Equal(0, await api.Deployment.ShardScalarAsync(from, "SELECT count(*) FROM votes.votes WHERE tenant_id = $1", tenant.TenantId));
        Assert.Equal(0, await api.Deployment.ShardScalarAsync(from, "SELECT count(*) FROM votes.uncounted_votes WHERE tenant_id = $1", tenant.TenantId));
        var results = await tenant.ResultsWhenCountedAsync(poll.Id(), Voters);
        Assert.Equal(Voters, results.GetProperty("options").EnumerateArray().Sum(o => o.GetProperty("votes").GetInt64()));

        // The duplicate checks came along: a voter from before the move is still refused, a new one is not.
        await (await api.Anonymous().PostAsJsonAsync($"/api/public/polls/{poll.Id()}/votes", new { optionIds = new[] { poll.OptionId(0) }, voterKey = "voter-0" }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "already_voted");
        Assert.Equal(HttpStatusCode.Created, await VoteAsync(api.Anonymous(), poll, "after-the-move", 1));
        await tenant.ResultsWhenCountedAsync(poll.Id(), Voters + 1);

        // Its people and keys came along too.
        Assert.Equal(HttpStatusCode.OK, (await tenant.Admin().GetAsync($"/api/polls/{poll.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.WithApiKey(key.GetProperty("key").GetString()!).GetAsync("/api/polls")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Anonymous().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = tenant.RefreshToken })).StatusCode);
        await api.LoginAsync(tenant.Slug, tenant.AdminEmail, ApiFixture.Password);
    }

    [Fact]
    public async Task A_move_to_nowhere_of_nobody_or_to_where_it_is_is_refused()
    {
        var tenant = await api.NewTenantAsync();
        var here = await api.Deployment.ShardOfAsync(tenant.TenantId);
        await (await api.Operator().PostAsJsonAsync($"/api/ops/tenants/{Guid.NewGuid()}/move", new { toShard = "shard-1" }))
            .AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await api.Operator().PostAsJsonAsync($"/api/ops/tenants/{tenant.TenantId}/move", new { toShard = "shard-9" })).AssertInvalidAsync("toShard");
        await (await api.Operator().PostAsJsonAsync($"/api/ops/tenants/{tenant.TenantId}/move", new { toShard = here })).AssertInvalidAsync("toShard");
        await (await api.Operator().PostAsJsonAsync($"/api/ops/tenants/{tenant.TenantId}/move", new { })).AssertInvalidAsync("toShard");
        await (await api.Anonymous().PostAsJsonAsync($"/api/ops/tenants/{tenant.TenantId}/move", new { toShard = "shard-1" }))
            .AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        Assert.Equal(here, await api.Deployment.ShardOfAsync(tenant.TenantId));
    }
}
