using Npgsql;

namespace IntegrationTests.Fixtures;

/// <summary>Reads the database directly: the source of truth when a test checks what was, or was not, written.</summary>
public static class Database
{
    public static async Task<long> ScalarAsync(string connectionString, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }
        // No row, or NULL, counts as zero: a shard without the row adds nothing to a total over shards.
        return await command.ExecuteScalarAsync() is { } value and not DBNull ? Convert.ToInt64(value) : 0;
    }
}
