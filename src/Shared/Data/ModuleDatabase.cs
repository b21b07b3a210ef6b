using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shared.Messaging;

namespace Shared.Data;

/// <summary>Wires a module's DbContext to the shared PostgreSQL data source, in the module's own schema.</summary>
public static class ModuleDatabase
{
    public const string ConnectionStringName = "Postgres";

    /// <summary>One pooled data source per process: every module's contexts share its connections.</summary>
    public static IServiceCollection AddPostgres(this IServiceCollection services, IConfiguration configuration)
    {
        // Read when first needed, not at registration, so that test hosts and later configuration sources apply.
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(
            configuration.GetConnectionString(ConnectionStringName)
                ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not configured.")).Build());
        return services;
    }

    public static IServiceCollection AddModuleDbContext<TContext>(this IServiceCollection services, string schema)
        where TContext : DbContext
    {
        services.AddDbContextPool<TContext>((provider, options) =>
            UseModuleSchema(options, provider.GetRequiredService<NpgsqlDataSource>(), schema)
                .AddInterceptors(provider.GetRequiredService<OutboxCommitInterceptor>()));
        services.AddSingleton<IModuleMigrator, ModuleMigrator<TContext>>();
        return services;
    }

    /// <summary>The options every module context uses, at run time and at design time alike.</summary>
    public static DbContextOptionsBuilder UseModuleSchema(DbContextOptionsBuilder options, NpgsqlDataSource dataSource, string schema) =>
        options
            .UseNpgsql(dataSource, npgsql => npgsql.MigrationsHistoryTable("__migrations", schema))
            .UseSnakeCaseNamingConvention();
}
