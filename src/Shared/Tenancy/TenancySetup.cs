using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shared.Data;

namespace Shared.Tenancy;

public static class TenancySetup
{
    /// <summary>The catalog, the shards, the tenant directory and the per-scope tenant every module context is bound to.</summary>
    public static IServiceCollection AddTenancy(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ShardingOptions>(configuration.GetSection(ShardingOptions.Section));
        services.AddSingleton<ShardMap>();
        services.AddSingleton<ITenantPlacementPolicy, ConfiguredPlacementPolicy>();
        services.AddSingleton<TenantDirectory>();
        services.AddSingleton<TenantMover>();
        services.AddSingleton<TenantBindings>();
        services.AddSingleton<TenantSessionInterceptor>();
        services.AddScoped<TenantScope>();
        services.AddSingleton<TenantScopes>();
        services.AddPlatformSchema<CatalogDbContext>(CatalogDbContext.Schema, DatabaseRole.Catalog);
        services.AddPlatformSchema<ResidentsDbContext>(ResidentsDbContext.Schema, DatabaseRole.Shard);
        return services;
    }
}
