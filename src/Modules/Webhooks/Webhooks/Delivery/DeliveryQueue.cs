using Npgsql;
using Shared.Data;

namespace Webhooks.Delivery;

/// <summary>A delivery a dispatcher has leased, and the tenant whose unit of work will send and record it.</summary>
internal sealed record ClaimedDelivery(Guid Id, Guid TenantId);

/// <summary>
/// Claims due deliveries on one shard for every tenant there. SKIP LOCKED lets every instance claim disjoint sets
/// without waiting on the others; the lease keeps a delivery from being sent twice at once, and a dispatcher that
/// dies mid-send loses its lease, so another sends the delivery again (receivers drop repeats by <c>webhook-id</c>).
/// </summary>
internal static class DeliveryQueue
{
    public static Task<List<ClaimedDelivery>> ClaimAsync(NpgsqlDataSource shard, int count, TimeSpan lease, CancellationToken cancellationToken) =>
        shard.QueryAsync("""
            UPDATE webhooks.deliveries AS d SET locked_until = now() + $2
            FROM (SELECT id FROM webhooks.deliveries
                  WHERE next_attempt_at <= now() AND (locked_until IS NULL OR locked_until < now())
                  ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED) AS due
            WHERE d.id = due.id
            RETURNING d.id, d.tenant_id
            """, reader => new ClaimedDelivery(reader.GetGuid(0), reader.GetGuid(1)), cancellationToken, count, lease);
}
