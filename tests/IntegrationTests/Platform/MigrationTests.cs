using System.Text.RegularExpressions;
using IntegrationTests.Fixtures;
using Npgsql;

namespace IntegrationTests.Platform;

public sealed class MigrationTests
{
    [Fact]
    public async Task Three_processes_migrating_one_database_at_once_apply_each_migration_once()
    {
        var database = await (await PostgresServer.GetAsync()).CreateDatabaseAsync();
        var runs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => HostProcess.MigrateAsync(database)));
        Assert.All(runs, run => Assert.True(run.ExitCode == 0, run.Output));

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        foreach (var schema in new[] { "messaging", "platform", "identity", "polls", "votes" })
        {
            await using var command = new NpgsqlCommand(
                $"SELECT count(*), count(DISTINCT migration_id) FROM {schema}.__migrations", connection);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.True(reader.GetInt64(0) > 0, $"{schema} has no migrations recorded");
            Assert.Equal(reader.GetInt64(1), reader.GetInt64(0));
        }
        // Exactly one of the three found work to do; the others found it done.
        // Outside Development the log is compact JSON: {"@mt":"{Module}: {Applied} migration(s) applied",...,"Applied":N}.
        var applying = runs.Count(run => Regex.IsMatch(run.Output, "\"Applied\":[1-9]"));
        Assert.All(runs, run => Assert.Equal(5, Regex.Matches(run.Output, "\"Applied\":").Count));
        Assert.Equal(1, applying);
    }
}
