using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Shared.Data;

public static class DatabaseMigrations
{
    // Any fixed number works; it only has to be the same in every instance of the service.
    private const long MigrationLockKey = 0x506f6c6c73L;

    /// <summary>
    /// Applies every module's migrations under a PostgreSQL advisory lock, so that N instances starting at once
    /// migrate one after another and the later ones find nothing left to do.
    /// </summary>
    public static async Task MigrateModulesAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseMigrations));
        await using var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, "SELECT pg_advisory_lock($1)", cancellationToken);
        try
        {
            foreach (var migrator in services.GetServices<IModuleMigrator>())
            {
                var applied = await migrator.MigrateAsync(cancellationToken);
                logger.LogInformation("{Module}: {Applied} migration(s) applied", migrator.Module, applied);
            }
        }
        finally
        {
            await ExecuteAsync(connection, "SELECT pg_advisory_unlock($1)", CancellationToken.None);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new() { Value = MigrationLockKey } } };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
