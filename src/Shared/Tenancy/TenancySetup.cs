using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shared.Data;

namespace Shared.Tenancy;

public static class TenancySetup
{
    /// <summary>The catalog, the shards, the tenant directory and the per-scope tenant every module context is bound to.</summary>
    /// <returns>The shards' pools, for the bus's configuration, which names each shard's.</returns>
    public static ShardMap AddTenancy(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ShardingOptions>(configuration.GetSection(ShardingOptions.Section));
        // Built now, not on first use: the bus's configuration names each shard's pool (and a bad setting stops the Host here).
        // Registered through a factory so that the container disposes it.
        var shards = new ShardMap(configuration, Options.Create(configuration.GetSection(ShardingOptions.Section).Get<ShardingOptions>() ?? new()));
        services.AddSingleton(_ => shards);
        services.AddSingleton<ITenantPlacementPolicy, ConfiguredPlacementPolicy>();
        services.AddSingleton<TenantDirectory>();
        services.AddSingleton<TenantMover>();
        services.AddSingleton<TenantBindings>();
        services.AddSingleton<TenantSessionInterceptor>();
        services.AddScoped<TenantScope>();
        services.AddSingleton<TenantScopes>();
        services.AddPlatformSchema<CatalogDbContext>(CatalogDbContext.Schema, DatabaseRole.Catalog);
        services.AddPlatformSchema<ResidentsDbContext>(ResidentsDbContext.Schema, DatabaseRole.Shard);
        return shards;
    }
}
