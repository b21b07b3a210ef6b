using System.Text.RegularExpressions;
using IntegrationTests.Fixtures;
using Npgsql;

namespace IntegrationTests.Platform;

public sealed class MigrationTests
{
    [Fact]
    public async Task Three_processes_migrating_the_catalog_and_every_shard_at_once_apply_each_migration_once()
    {
        var deployment = await Deployment.CreateAsync();
        var runs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => HostProcess.MigrateAsync(deployment)));
        Assert.All(runs, run => Assert.True(run.ExitCode == 0, run.Output));

        await AssertEachAppliedOnceAsync(deployment.AdminCatalog, "catalog", "platform");
        foreach (var shard in deployment.ShardIds)
        {
            await AssertEachAppliedOnceAsync(deployment.AdminShard(shard), "messaging", "tenancy", "identity", "polls", "votes", "webhooks");
        }
        // Exactly one of the three found work to do; the others found it done. Each run reports the catalog's 2
        // schemas and each shard's 6. Outside Development the log is compact JSON: {..., "Applied":N}.
        var applying = runs.Count(run => Regex.IsMatch(run.Output, "\"Applied\":[1-9]"));
        Assert.All(runs, run => Assert.Equal(2 + 6 * deployment.ShardIds.Count, Regex.Matches(run.Output, "\"Applied\":").Count));
        Assert.Equal(1, applying);
    }

    private static async Task AssertEachAppliedOnceAsync(string connectionString, params string[] schemas)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var schema in schemas)
        {
            await using var command = new NpgsqlCommand($"SELECT count(*), count(DISTINCT migration_id) FROM {schema}.__migrations", connection);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.True(reader.GetInt64(0) > 0, $"{schema} has no migrations recorded");
            Assert.Equal(reader.GetInt64(1), reader.GetInt64(0));
        }
    }
}
