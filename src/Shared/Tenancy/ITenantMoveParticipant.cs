using Npgsql;

namespace Shared.Tenancy;

/// <summary>
/// What a layer above keeps of a tenant's on a shard outside the tenant tables (Messaging: its messages), which a move
/// must neither strand nor lose. Registered by that layer. The mover waits until none of the tenant's work is in
/// flight; with the tenant's writes paused, it has what is kept copied in the transaction that copies the tenant's
/// rows, and deleted from the old shard with them once the tenant has moved.
/// </summary>
public interface ITenantMoveParticipant
{
    /// <summary>The tenant's work on the shard not yet done (a message not yet handled): the move waits for none.</summary>
    Task<long> CountInFlightAsync(NpgsqlDataSource shard, Guid tenantId, CancellationToken cancellationToken);

    /// <summary>Copies what is kept for the tenant (its dead letters) to the new shard, within <paramref name="to"/>'s transaction; how many rows.</summary>
    Task<long> CopyAsync(Guid tenantId, NpgsqlConnection from, NpgsqlConnection to, string toShard, CancellationToken cancellationToken);

    /// <summary>Deletes what was copied from the old shard, within <paramref name="from"/>'s transaction.</summary>
    Task DeleteAsync(Guid tenantId, NpgsqlConnection from, CancellationToken cancellationToken);
}
