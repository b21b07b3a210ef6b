using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Shared.Data;

/// <summary>Which database a context's schema lives in: the one catalog, or every shard.</summary>
public enum DatabaseRole
{
    Catalog,
    Shard,
}

/// <summary>Wires DbContexts to PostgreSQL, each in its own schema (a module's, on the shards: <c>Shared.Tenancy.ModuleContexts</c>).</summary>
public static class ModuleDatabase
{
    /// <summary>
    /// A platform schema that the platform reads and writes with its own SQL: only its migrations are registered,
    /// to run on the catalog or on every shard.
    /// </summary>
    public static IServiceCollection AddPlatformSchema<TContext>(this IServiceCollection services, string schema, DatabaseRole role)
        where TContext : DbContext =>
        services.AddSingleton<IModuleMigrator>(new ModuleMigrator<TContext>(schema, role));

    /// <summary>The options every module context uses, at run time, at migration and at design time alike.</summary>
    public static DbContextOptionsBuilder UseModuleSchema(DbContextOptionsBuilder options, NpgsqlDataSource dataSource, string schema) =>
        options
            .UseNpgsql(dataSource, npgsql => npgsql.MigrationsHistoryTable("__migrations", schema))
            .UseSnakeCaseNamingConvention();
}
