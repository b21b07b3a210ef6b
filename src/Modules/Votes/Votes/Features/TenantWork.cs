using Microsoft.Extensions.DependencyInjection;
using Shared.Tenancy;

namespace Votes.Features;

/// <summary>
/// Runs a cache factory in a scope of its own, bound to the request's tenant. A cache load outlives the request
/// that started it (other requests wait on the same load), so it must not use that request's DbContext, which goes
/// back to the pool when the request ends.
/// </summary>
internal sealed class TenantWork(IServiceScopeFactory scopes, TenantScope tenant)
{
    public async ValueTask<TResult> RunAsync<TService, TResult>(Func<TService, Task<TResult>> work)
        where TService : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().Enter(tenant.Required);
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }
}
