namespace Shared.Tenancy;

/// <summary>
/// The tenant the current unit of work (a request, a message delivery) acts for. Every module DbContext resolved in
/// the scope is bound to this tenant's shard and runs with PostgreSQL's <c>app.tenant_id</c> set to it.
/// </summary>
public sealed class TenantScope
{
    public TenantPlacement? Current { get; private set; }

    public TenantPlacement Required => Current
        ?? throw new InvalidOperationException("No tenant has been resolved for this unit of work; tenant data cannot be reached without one.");

    /// <summary>Binds the scope to a tenant. A scope serves one tenant: switching would leave contexts bound to the other.</summary>
    public void Enter(TenantPlacement placement)
    {
        if (Current is not null && Current != placement)
        {
            throw new InvalidOperationException($"This scope already acts for tenant {Current.TenantId}.");
        }
        Current = placement;
    }
}
