namespace Shared.Tenancy;

/// <summary>
/// The tenant's data cannot be reached just now: its shard is down, or the tenant is being moved between shards.
/// Clients get <c>503 unavailable</c> with <c>Retry-After</c>: the condition is temporary and retrying is safe.
/// </summary>
public sealed class TenantUnavailableException(Guid tenantId, string reason, Exception? inner = null)
    : Exception($"Tenant {tenantId} is unavailable: {reason}", inner)
{
    public Guid TenantId { get; } = tenantId;
}
