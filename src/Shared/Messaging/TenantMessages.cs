using Npgsql;
using Shared.Data;
using Shared.Tenancy;
using Wolverine.Runtime.Serialization;

namespace Shared.Messaging;

/// <summary>
/// A tenant's messages on a shard, as a tenant move sees them. Wolverine's tables have no tenant column; the tenant
/// rides in each stored envelope's headers (<see cref="MessageTenancy"/>), so it is found in the stored bytes.
/// Messages not yet handled (waiting, or due for a retry) are work in flight: handled on the old shard after the move
/// they would be refused there, so the move waits for none. Dead letters go with the tenant, each envelope naming its
/// new shard, so that an operator replays them there.
/// </summary>
internal sealed class TenantMessages : ITenantMoveParticipant
{
    private const string OfTenant = "position(convert_to($1, 'UTF8') IN body) > 0";

    public async Task<long> CountInFlightAsync(NpgsqlDataSource shard, Guid tenantId, CancellationToken cancellationToken)
    {
        var counts = await shard.QueryAsync(
            $"SELECT count(*) FROM {WolverineTables.Waiting} AND {OfTenant}",
            r => r.GetInt64(0), cancellationToken, tenantId.ToString());
        return counts[0];
    }

    public async Task<long> CopyAsync(Guid tenantId, NpgsqlConnection from, NpgsqlConnection to, string toShard, CancellationToken cancellationToken)
    {
        var deadLetters = new List<(string Row, byte[] Body)>();
        await using (var read = new NpgsqlCommand($"SELECT (to_jsonb(d) - 'body')::text, body FROM {WolverineTables.DeadLetters} d WHERE {OfTenant}", from))
        {
            read.Parameters.Add(new() { Value = tenantId.ToString() });
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                deadLetters.Add((reader.GetString(0), reader.GetFieldValue<byte[]>(1)));
            }
        }
        foreach (var (row, body) in deadLetters)
        {
            // Every other column as it was (whatever columns Wolverine's version has); the envelope names the new shard.
            var envelope = EnvelopeSerializer.Deserialize(body);
            envelope.TenantId = toShard;
            await to.ExecuteAsync(
                $"""
                INSERT INTO {WolverineTables.DeadLetters} SELECT (jsonb_populate_record(NULL::{WolverineTables.DeadLetters}, $1::jsonb || jsonb_build_object('body', $2::text))).*
                ON CONFLICT (id) DO NOTHING
                """, cancellationToken, row, @"\x" + Convert.ToHexString(EnvelopeSerializer.Serialize(envelope)));
        }
        return deadLetters.Count;
    }

    public Task DeleteAsync(Guid tenantId, NpgsqlConnection from, CancellationToken cancellationToken) =>
        from.ExecuteAsync($"DELETE FROM {WolverineTables.DeadLetters} WHERE {OfTenant}", cancellationToken, tenantId.ToString());
}
