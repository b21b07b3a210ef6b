using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shared.Data;

namespace Shared.Tenancy;

/// <summary>Module contexts on the shards.</summary>
public static class ModuleContexts
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
}

/// <summary>One context pool per shard for a module's context, created when a tenant on that shard first needs it.</summary>
internal sealed class ShardContextPool<TContext>(
    ShardMap shards, TenantBindings bindings, TenantSessionInterceptor session, string schema)
    where TContext : DbContext
{
    private readonly ConcurrentDictionary<string, PooledDbContextFactory<TContext>> _pools = new(StringComparer.Ordinal);

    public TContext Rent(TenantPlacement tenant)
    {
        var pool = _pools.GetOrAdd(tenant.ShardId, shardId =>
        {
            var options = new DbContextOptionsBuilder<TContext>();
            UseModuleSchema(options, shards.Shard(shardId)).AddInterceptors(session);
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
