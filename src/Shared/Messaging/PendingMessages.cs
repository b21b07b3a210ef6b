using Npgsql;
using Shared.Data;
using Shared.Tenancy;

namespace Shared.Messaging;

/// <summary>
/// A tenant's messages stored on a shard and not yet handled (waiting, or due for a retry), for the tenant mover:
/// handled on the old shard after the move they would be refused there, and their storage has no tenant column to
/// move them by. The tenant rides in each stored envelope's headers (<see cref="MessageTenancy"/>), so it is found in
/// the stored bytes.
/// </summary>
internal sealed class PendingMessages : ITenantWorkInFlight
{
    public async Task<long> CountAsync(NpgsqlDataSource shard, Guid tenantId, CancellationToken cancellationToken)
    {
        var counts = await shard.QueryAsync(
            $"""
            SELECT count(*) FROM {WolverineSetup.Schema}.wolverine_incoming_envelopes
            WHERE status <> 'Handled' AND position(convert_to($1, 'UTF8') IN body) > 0
            """, r => r.GetInt64(0), cancellationToken, tenantId.ToString());
        return counts[0];
    }
}
