using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Shared.Data;

/// <summary>Applies one context's migrations to a database of its role.</summary>
public interface IModuleMigrator
{
    string Module { get; }

    DatabaseRole Role { get; }

    /// <summary>Applies what is pending and returns how many migrations that was.</summary>
    Task<int> MigrateAsync(NpgsqlDataSource database, CancellationToken cancellationToken);
}

public sealed class ModuleMigrator<TContext>(string schema, DatabaseRole role) : IModuleMigrator
    where TContext : DbContext
{
    public string Module => typeof(TContext).Name;

    public DatabaseRole Role => role;

    public async Task<int> MigrateAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        var options = new DbContextOptionsBuilder<TContext>();
        ModuleDatabase.UseModuleSchema(options, database, schema);
        // A plain context, not a tenant-bound one: migrations act on the schema, for every tenant.
        await using var context = (TContext)Activator.CreateInstance(typeof(TContext), options.Options)!;
        var pending = (await context.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
        await context.Database.MigrateAsync(cancellationToken);
        return pending;
    }
}
