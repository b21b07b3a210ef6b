using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shared.Messaging;
using Shared.Tenancy;

namespace Shared.Data;

/// <summary>Which database a context's schema lives in: the one catalog, or every shard.</summary>
public enum DatabaseRole
{
    Catalog,
    Shard,
}

/// <summary>Wires DbContexts to PostgreSQL, each in its own schema.</summary>
public static class ModuleDatabase
{
    /// <summary>
    /// A module's context on its tenant's shard: resolved in a scope whose <see cref="TenantScope"/> names the
    /// tenant, rented from that shard's context pool, and bound to the tenant for row-level security.
    /// </summary>
    public static IServiceCollection AddModuleDbContext<TContext>(this IServiceCollection services, string schema)
        where TContext : DbContext
    {
        services.AddSingleton(provider => ActivatorUtilities.CreateInstance<ShardContextPool<TContext>>(provider, schema));
        services.AddScoped(provider => provider.GetRequiredService<ShardContextPool<TContext>>().Rent(provider.GetRequiredService<TenantScope>().Required));
        services.AddSingleton<IModuleMigrator>(new ModuleMigrator<TContext>(schema, DatabaseRole.Shard));
        return services;
    }

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

/// <summary>One context pool per shard for a module's context, created when a tenant on that shard first needs it.</summary>
internal sealed class ShardContextPool<TContext>(
    ShardMap shards, TenantBindings bindings, TenantSessionInterceptor session, OutboxCommitInterceptor outbox, string schema)
    where TContext : DbContext
{
    private readonly ConcurrentDictionary<string, PooledDbContextFactory<TContext>> _pools = new(StringComparer.Ordinal);

    public TContext Rent(TenantPlacement tenant)
    {
        var pool = _pools.GetOrAdd(tenant.ShardId, shardId =>
        {
            var options = new DbContextOptionsBuilder<TContext>();
            UseModuleSchema(options, shards.Shard(shardId)).AddInterceptors(session, outbox);
            return new PooledDbContextFactory<TContext>(options.Options);
        });
        var context = pool.CreateDbContext();
        bindings.Bind(context, tenant);
        // EF skips the transaction for a save of one statement; every tenant write needs one, for the move fence.
        context.Database.AutoTransactionBehavior = AutoTransactionBehavior.Always;
        return context;
    }

    private DbContextOptionsBuilder UseModuleSchema(DbContextOptionsBuilder options, NpgsqlDataSource dataSource) =>
        ModuleDatabase.UseModuleSchema(options, dataSource, schema);
}
