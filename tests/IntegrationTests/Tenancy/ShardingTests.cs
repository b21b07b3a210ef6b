using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shared.Tenancy;
using Votes.Data;

namespace IntegrationTests.Tenancy;

/// <summary>Tenants on two shards on two PostgreSQL servers: placement, every route on each, isolation, operations.</summary>
public sealed class ShardingTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task New_tenants_go_to_the_shard_with_the_fewest_and_the_shards_route_counts_them()
    {
        var before = await api.Operator().GetFromJsonAsync<JsonElement>("/api/ops/shards");
        var tenants = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            tenants.Add((await api.NewTenantAsync()).TenantId);
        }
        var shards = await api.Operator().GetFromJsonAsync<JsonElement>("/api/ops/shards");
        var counts = shards.EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!, s => s.GetProperty("tenants").GetInt64());
        Assert.Equal(["shard-0", "shard-1"], counts.Keys.Order());
        Assert.All(shards.EnumerateArray(), s => Assert.Equal("active", s.GetProperty("state").GetString()));
        Assert.Equal(before.EnumerateArray().Sum(s => s.GetProperty("tenants").GetInt64()) + 4, counts.Values.Sum());
        // Fewest-tenants placement keeps the shards within one tenant of each other.
        Assert.True(Math.Abs(counts["shard-0"] - counts["shard-1"]) <= 1, string.Join(", ", counts));
        foreach (var tenant in tenants)
        {
            var shard = await api.Deployment.ShardOfAsync(tenant);
            Assert.Equal(1, await api.Deployment.ShardScalarAsync(shard, "SELECT count(*) FROM identity.tenants WHERE id = $1", tenant));
            Assert.Equal(0, await api.Deployment.ShardScalarAsync(shard == "shard-0" ? "shard-1" : "shard-0", "SELECT count(*) FROM identity.tenants WHERE id = $1", tenant));
        }
        await (await api.Anonymous().GetAsync("/api/ops/shards")).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task Every_route_works_for_a_tenant_on_each_shard()
    {
        foreach (var (shard, tenant) in await api.TenantOnEachShardAsync())
        {
            var admin = tenant.Admin();
            var me = await admin.GetFromJsonAsync<JsonElement>("/api/me");
            Assert.Equal(tenant.TenantId, me.GetProperty("tenantId").GetGuid());

            var editor = await tenant.MemberAsync("editor");
            Assert.Equal(2, (await admin.GetFromJsonAsync<JsonElement>("/api/users")).GetProperty("items").GetArrayLength());
            var key = await (await admin.PostAsJsonAsync("/api/api-keys", new { name = "server", role = "editor" })).Content.ReadFromJsonAsync<JsonElement>();
            var server = api.WithApiKey(key.GetProperty("key").GetString()!);

            var poll = await tenant.OpenPollAsync(new { duplicateCheck = "voter" });
            Assert.Equal(HttpStatusCode.OK, (await server.GetAsync($"/api/polls/{poll.Id()}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await editor.GetAsync("/api/polls")).StatusCode);
            var vote = await api.Anonymous().PostAsJsonAsync($"/api/public/polls/{poll.Id()}/votes", new { optionIds = new[] { poll.OptionId(0) }, voterKey = "v1" });
            Assert.Equal(HttpStatusCode.Created, vote.StatusCode);
            await (await api.Anonymous().PostAsJsonAsync($"/api/public/polls/{poll.Id()}/votes", new { optionIds = new[] { poll.OptionId(1) }, voterKey = "v1" }))
                .AssertProblemAsync(HttpStatusCode.Conflict, "already_voted");
            await tenant.ResultsWhenCountedAsync(poll.Id(), 1);
            Assert.Equal(HttpStatusCode.OK, (await api.Anonymous().GetAsync($"/api/public/polls/{poll.Id()}/results?voterKey=v1")).StatusCode);
            await tenant.ClosePollAsync(poll.Id());

            var refreshed = await api.Anonymous().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = tenant.RefreshToken });
            Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
            Assert.Equal(1, await api.Deployment.ShardScalarAsync(shard, "SELECT count(*) FROM votes.votes WHERE poll_id = $1", poll.Id()));
        }
    }

    [Fact]
    public async Task A_tenant_on_one_shard_gets_404_for_every_id_of_a_tenant_on_the_other()
    {
        var tenants = await api.TenantOnEachShardAsync();
        var (owner, other) = (tenants["shard-0"], tenants["shard-1"]);
        var poll = await owner.OpenPollAsync();
        var key = await (await owner.Admin().PostAsJsonAsync("/api/api-keys", new { name = "k", role = "viewer" })).Content.ReadFromJsonAsync<JsonElement>();
        var intruder = other.Admin();
        foreach (var response in new[]
        {
            await intruder.GetAsync($"/api/polls/{poll.Id()}"),
            await intruder.PatchAsJsonAsync($"/api/polls/{poll.Id()}", new { question = "Taken over?" }),
            await intruder.PostAsync($"/api/polls/{poll.Id()}/open", null),
            await intruder.PostAsync($"/api/polls/{poll.Id()}/close", null),
            await intruder.GetAsync($"/api/polls/{poll.Id()}/results"),
            await intruder.DeleteAsync($"/api/polls/{poll.Id()}"),
            await intruder.DeleteAsync($"/api/api-keys/{key.GetProperty("id").GetGuid()}"),
        })
        {
            await response.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        }
        Assert.Equal("open", (await owner.Admin().GetFromJsonAsync<JsonElement>($"/api/polls/{poll.Id()}")).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await api.WithApiKey(key.GetProperty("key").GetString()!).GetAsync("/api/polls")).StatusCode);
    }

    [Fact]
    public async Task Row_level_security_hides_other_tenants_rows_from_a_query_that_forgets_its_tenant_filter()
    {
        // Three tenants on two shards: at least two share one, which is the case the filter matters for.
        var tenants = new List<TenantSession>();
        for (var i = 0; i < 3; i++)
        {
            var tenant = await api.NewTenantAsync();
            await tenant.OpenPollAsync();
            tenants.Add(tenant);
        }
        var byShard = new List<(TenantPlacement Placement, long Own, long OnShard)>();
        foreach (var tenant in tenants)
        {
            var placement = new TenantPlacement(tenant.TenantId, await api.Deployment.ShardOfAsync(tenant.TenantId));
            byShard.Add((placement,
                await api.Deployment.ShardScalarAsync(placement.ShardId, "SELECT count(*) FROM votes.poll_replicas WHERE tenant_id = $1", tenant.TenantId),
                await api.Deployment.ShardScalarAsync(placement.ShardId, "SELECT count(*) FROM votes.poll_replicas")));
        }
        Assert.Contains(byShard, s => s.OnShard > s.Own);

        foreach (var (placement, own, _) in byShard)
        {
            await using var scope = api.Factory.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantScope>().Enter(placement);
            var db = scope.ServiceProvider.GetRequiredService<VotesDbContext>();
            // No WHERE on the tenant: the database still answers with this tenant's rows only.
            var seen = await db.PollReplicas.AsNoTracking().Select(r => r.TenantId).ToListAsync();
            Assert.Equal([placement.TenantId], seen.Distinct());
            Assert.Equal(own, seen.Count);
            Assert.Equal(seen.Count, await db.Database.SqlQuery<long>($"SELECT count(*) AS \"Value\" FROM votes.poll_replicas").SingleAsync());

            // Nor can it write a row for another tenant, even by naming it.
            var stranger = byShard.First(s => s.Placement.TenantId != placement.TenantId).Placement.TenantId;
            await using var transaction = await db.Database.BeginTransactionAsync();
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlInterpolatedAsync(
                $"UPDATE votes.poll_replicas SET tenant_id = {stranger} WHERE tenant_id = {placement.TenantId}"));
            Assert.Contains("row-level security", refused.Message);
        }
    }
}
