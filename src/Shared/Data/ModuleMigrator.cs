using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Shared.Data;

/// <summary>Applies one module's migrations.</summary>
public interface IModuleMigrator
{
    string Module { get; }

    /// <summary>Applies what is pending and returns how many migrations that was.</summary>
    Task<int> MigrateAsync(CancellationToken cancellationToken);
}

internal sealed class ModuleMigrator<TContext>(IServiceScopeFactory scopes) : IModuleMigrator
    where TContext : DbContext
{
    public string Module => typeof(TContext).Name;

    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<TContext>().Database;
        var pending = (await database.GetPendingMigrationsAsync(cancellationToken)).Count();
        await database.MigrateAsync(cancellationToken);
        return pending;
    }
}
