using Npgsql;

namespace IntegrationTests.Platform;

/// <summary>Real faults, not simulated ones: a broken database and a bad configuration.</summary>
public sealed class FaultTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task An_unexpected_failure_is_a_500_problem_that_leaks_no_internals()
    {
        var tenant = await api.NewTenantAsync();
        var shard = api.Deployment.AdminShard(await api.Deployment.ShardOfAsync(tenant.TenantId));
        await using (var connection = new NpgsqlConnection(shard))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("ALTER TABLE polls.polls RENAME TO polls_gone", connection);
            await command.ExecuteNonQueryAsync();
        }
        try
        {
            var response = await tenant.Admin().GetAsync("/api/polls");
            var body = await response.AssertProblemAsync(HttpStatusCode.InternalServerError, "internal_error");
            var text = body.ToString();
            Assert.DoesNotContain("Npgsql", text);
            Assert.DoesNotContain("polls_gone", text);
            Assert.DoesNotContain(" at ", text);
        }
        finally
        {
            await using var connection = new NpgsqlConnection(shard);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("ALTER TABLE polls.polls_gone RENAME TO polls", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
