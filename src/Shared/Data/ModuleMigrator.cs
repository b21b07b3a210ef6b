using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Shared.Data;

/// <summary>Applies one module's migrations.</summary>
public interface IModuleMigrator
{
    string Module { get; }

    Task MigrateAsync(CancellationToken cancellationToken);
}

internal sealed class ModuleMigrator<TContext>(IServiceScopeFactory scopes) : IModuleMigrator
    where TContext : DbContext
{
    public string Module => typeof(TContext).Name;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<TContext>().Database.MigrateAsync(cancellationToken);
    }
}
