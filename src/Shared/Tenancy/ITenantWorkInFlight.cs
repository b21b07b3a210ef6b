using Npgsql;

namespace Shared.Tenancy;

/// <summary>
/// Work of a tenant's that is stored on a shard and not yet done, which a move must not strand there: messages not
/// yet handled, say. Registered by the layer that keeps such work; the mover moves a tenant only once none is left.
/// </summary>
public interface ITenantWorkInFlight
{
    Task<long> CountAsync(NpgsqlDataSource shard, Guid tenantId, CancellationToken cancellationToken);
}
