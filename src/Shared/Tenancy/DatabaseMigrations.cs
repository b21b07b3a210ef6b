using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Shared.Data;

namespace Shared.Tenancy;

public static class DatabaseMigrations
{
    // Any fixed number works; it only has to be the same in every instance of the service.
    private const long MigrationLockKey = 0x506f6c6c73L;

    /// <summary>
    /// Migrates the catalog, then every configured shard, each under a PostgreSQL advisory lock on that database, so
    /// that N instances starting at once migrate one after another and the later ones find nothing left to do.
    /// Then registers the configured shards in the catalog.
    /// </summary>
    public static async Task MigrateModulesAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseMigrations));
        var shards = services.GetRequiredService<ShardMap>();
        var migrators = services.GetServices<IModuleMigrator>().ToList();
        await MigrateAsync("catalog", shards.Catalog, migrators.Where(m => m.Role == DatabaseRole.Catalog), logger, cancellationToken);
        foreach (var shardId in shards.ShardIds)
        {
            await MigrateAsync($"shard {shardId}", shards.Shard(shardId), migrators.Where(m => m.Role == DatabaseRole.Shard), logger, cancellationToken);
        }
        await services.GetRequiredService<TenantDirectory>().RegisterShardsAsync(cancellationToken);
    }

    private static async Task MigrateAsync(
        string database, NpgsqlDataSource dataSource, IEnumerable<IModuleMigrator> migrators, ILogger logger, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync("SELECT pg_advisory_lock($1)", cancellationToken, MigrationLockKey);
        try
        {
            foreach (var migrator in migrators)
            {
                var applied = await migrator.MigrateAsync(dataSource, cancellationToken);
                logger.LogInformation("{Database} {Module}: {Applied} migration(s) applied", database, migrator.Module, applied);
            }
        }
        finally
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock($1)", CancellationToken.None, MigrationLockKey);
        }
    }
}
