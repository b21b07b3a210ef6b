using Npgsql;

namespace Shared.Data;

/// <summary>Positional-parameter SQL on a data source, for the platform's hand-written statements.</summary>
public static class Sql
{
    public static async Task<int> ExecuteAsync(this NpgsqlDataSource dataSource, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = Command(dataSource, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<List<T>> QueryAsync<T>(
        this NpgsqlDataSource dataSource, string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = Command(dataSource, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }
        return rows;
    }

    /// <summary>The same on an open connection, for statements that must share its session (locks, settings, a transaction).</summary>
    public static async Task<int> ExecuteAsync(this NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = Fill(new NpgsqlCommand(sql, connection), parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlCommand Command(NpgsqlDataSource dataSource, string sql, object[] parameters) => Fill(dataSource.CreateCommand(sql), parameters);

    private static NpgsqlCommand Fill(NpgsqlCommand command, object[] parameters)
    {
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        return command;
    }
}
