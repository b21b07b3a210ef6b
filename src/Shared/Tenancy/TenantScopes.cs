using Microsoft.Extensions.DependencyInjection;

namespace Shared.Tenancy;

/// <summary>
/// Runs work in a service scope of its own, bound to a tenant. For cache loads: a load outlives the request that
/// started it (other requests wait on the same load), so it must not use that request's DbContext, which goes back
/// to the pool when the request ends.
/// </summary>
public sealed class TenantScopes(IServiceScopeFactory scopes)
{
    public async ValueTask<TResult> RunAsync<TService, TResult>(TenantPlacement tenant, Func<TService, Task<TResult>> work)
        where TService : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().Enter(tenant);
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }
}
