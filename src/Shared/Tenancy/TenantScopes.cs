using Microsoft.Extensions.DependencyInjection;

namespace Shared.Tenancy;

/// <summary>
/// Runs work in a service scope of its own, bound to a tenant: for work outside any request, and for cache loads. A
/// load outlives the request that started it (other requests wait on the same load), so it must not use that
/// request's DbContext, which goes back to the pool when the request ends.
/// </summary>
public sealed class TenantScopes(IServiceScopeFactory scopes)
{
    public async ValueTask<TResult> RunAsync<TService, TResult>(TenantPlacement tenant, Func<TService, Task<TResult>> work)
        where TService : notnull
    {
        await using var scope = Enter(tenant);
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>For work that needs several of the scope's services.</summary>
    public async Task RunAsync(TenantPlacement tenant, Func<IServiceProvider, Task> work)
    {
        await using var scope = Enter(tenant);
        await work(scope.ServiceProvider);
    }

    private AsyncServiceScope Enter(TenantPlacement tenant)
    {
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().Enter(tenant);
        return scope;
    }
}
