using Npgsql;
using Shared.Data;

namespace Shared.Tenancy;

/// <summary>The SQL on a shard's <c>tenancy.residents</c>: which tenants live here, and in what state.</summary>
internal static class Residents
{
    public static Task SetAsync(NpgsqlDataSource shard, Guid tenantId, string state, CancellationToken cancellationToken) =>
        shard.ExecuteAsync("""
            INSERT INTO tenancy.residents (tenant_id, state, since) VALUES ($1, $2, now())
            ON CONFLICT (tenant_id) DO UPDATE SET state = EXCLUDED.state, since = EXCLUDED.since
            """, cancellationToken, tenantId, state);

    public static Task RemoveAsync(NpgsqlDataSource shard, Guid tenantId, CancellationToken cancellationToken) =>
        shard.ExecuteAsync("DELETE FROM tenancy.residents WHERE tenant_id = $1", cancellationToken, tenantId);
}
