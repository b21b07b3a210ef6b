using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;

namespace Shared.Tenancy;

/// <summary>Which tenant each rented module DbContext acts for; set on every rent, since pooled contexts are reused.</summary>
public sealed class TenantBindings
{
    private readonly ConditionalWeakTable<DbContext, TenantPlacement> _bindings = [];

    public void Bind(DbContext context, TenantPlacement tenant) => _bindings.AddOrUpdate(context, tenant);

    public TenantPlacement? Of(DbContext? context) => context is not null && _bindings.TryGetValue(context, out var tenant) ? tenant : null;
}
