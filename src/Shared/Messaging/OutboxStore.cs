using Npgsql;
using Shared.Data;

namespace Shared.Messaging;

/// <summary>A message the relay has claimed, with the attempt this delivery is.</summary>
internal sealed record ClaimedMessage(Guid Id, Guid? TenantId, string MessageType, string Payload, int Attempt, DateTimeOffset DueAt);

/// <summary>
/// The relay's SQL against one shard's <c>messaging</c> schema. Times come from the database, so instances agree on
/// them. The messaging tables carry each message's tenant but have no row-level security: the relay reads them for
/// every tenant on the shard, and only delivers each message in a scope bound to its tenant.
/// </summary>
internal sealed class OutboxStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Leases up to <paramref name="batchSize"/> due messages. SKIP LOCKED lets relays on several instances claim
    /// disjoint batches without waiting for one another.
    /// </summary>
    public Task<List<ClaimedMessage>> ClaimAsync(int batchSize, TimeSpan lease, CancellationToken cancellationToken) =>
        QueryAsync("""
            UPDATE messaging.outbox AS o
            SET locked_until = now() + $2, attempts = o.attempts + 1
            FROM (SELECT id FROM messaging.outbox
                  WHERE dispatched_at IS NULL AND due_at <= now() AND (locked_until IS NULL OR locked_until < now())
                  ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED) AS due
            WHERE o.id = due.id
            RETURNING o.id, o.tenant_id, o.message_type, o.payload::text, o.attempts, o.due_at
            """,
            reader => new ClaimedMessage(reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4), reader.GetFieldValue<DateTimeOffset>(5)),
            cancellationToken, batchSize, lease);

    /// <summary>Extends the claim on messages still being handled, so a slow batch is never claimed twice at once.</summary>
    public Task RenewAsync(IReadOnlyCollection<Guid> ids, TimeSpan lease, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE messaging.outbox SET locked_until = now() + $2 WHERE id = ANY($1) AND dispatched_at IS NULL AND locked_until IS NOT NULL",
            cancellationToken, ids.ToArray(), lease);

    public Task CompleteAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE messaging.outbox SET dispatched_at = now(), locked_until = NULL, last_error = NULL WHERE id = ANY($1)",
            cancellationToken, ids.ToArray());

    public Task RetryAsync(Guid id, TimeSpan delay, string error, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE messaging.outbox SET due_at = now() + $2, locked_until = NULL, last_error = $3 WHERE id = $1",
            cancellationToken, id, delay, error);

    /// <summary>Hands a message back undelivered without spending an attempt: its tenant was briefly out of reach (moving).</summary>
    public Task PostponeAsync(Guid id, TimeSpan delay, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE messaging.outbox SET due_at = now() + $2, locked_until = NULL, attempts = GREATEST(attempts - 1, 0) WHERE id = $1",
            cancellationToken, id, delay);

    /// <summary>Moves a message to the dead letters, in one transaction so it is never in both places or neither.</summary>
    public Task BuryAsync(Guid id, string error, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            WITH gone AS (DELETE FROM messaging.outbox WHERE id = $1 RETURNING id, tenant_id, message_type, payload, created_at, attempts)
            INSERT INTO messaging.dead_letters (id, tenant_id, message_type, payload, created_at, failed_at, attempts, error)
            SELECT id, tenant_id, message_type, payload, created_at, now(), attempts, $2 FROM gone
            """, cancellationToken, id, error);

    /// <summary>Puts a dead letter back in the outbox with fresh attempts, keeping its id so handlers that succeeded skip it.</summary>
    public async Task<bool> ReplayAsync(Guid id, CancellationToken cancellationToken) =>
        await ExecuteAsync("""
            WITH back AS (DELETE FROM messaging.dead_letters WHERE id = $1 RETURNING id, tenant_id, message_type, payload, created_at)
            INSERT INTO messaging.outbox (id, tenant_id, message_type, payload, created_at, due_at, attempts)
            SELECT id, tenant_id, message_type, payload, created_at, now(), 0 FROM back
            """, cancellationToken, id) == 1;

    public async Task InsertAsync(OutboxMessage message, Guid tenantId, CancellationToken cancellationToken) =>
        await ExecuteAsync("""
            INSERT INTO messaging.outbox (id, tenant_id, message_type, payload, created_at, due_at, attempts)
            VALUES ($1, $2, $3, $4::jsonb, $5, $6, 0)
            """, cancellationToken, message.Id, tenantId, message.MessageType, message.Payload, message.CreatedAt, message.DueAt);

    /// <summary>How long until the next pending message falls due (zero if one is due now), or null if none is pending.</summary>
    public async Task<TimeSpan?> UntilNextDueAsync(CancellationToken cancellationToken)
    {
        // Not GREATEST(min(...) - now(), '0') in SQL: GREATEST skips NULLs, so "none pending" would read as "due now"
        // and the relay would spin.
        var rows = await QueryAsync(
            "SELECT min(GREATEST(locked_until, due_at)) - now() FROM messaging.outbox WHERE dispatched_at IS NULL",
            reader => reader.IsDBNull(0) ? (TimeSpan?)null : reader.GetTimeSpan(0), cancellationToken);
        return rows[0] is { } untilDue && untilDue < TimeSpan.Zero ? TimeSpan.Zero : rows[0];
    }

    public async Task<long> BacklogAsync(CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT count(*) FROM messaging.outbox WHERE dispatched_at IS NULL", reader => reader.GetInt64(0), cancellationToken))[0];

    public async Task CleanUpAsync(TimeSpan retainDispatched, TimeSpan retainInbox, CancellationToken cancellationToken)
    {
        await ExecuteAsync("DELETE FROM messaging.outbox WHERE dispatched_at < now() - $1", cancellationToken, retainDispatched);
        await ExecuteAsync("DELETE FROM messaging.inbox WHERE processed_at < now() - $1", cancellationToken, retainInbox);
    }

    public Task<List<DeadLetter>> DeadLettersAsync(int limit, Guid? after, CancellationToken cancellationToken) =>
        QueryAsync("""
            SELECT id, message_type, payload::text, created_at, failed_at, attempts, error FROM messaging.dead_letters
            WHERE id < $2 ORDER BY id DESC LIMIT $1
            """,
            reader => new DeadLetter
            {
                Id = reader.GetGuid(0),
                MessageType = reader.GetString(1),
                Payload = reader.GetString(2),
                CreatedAt = reader.GetFieldValue<DateTimeOffset>(3),
                FailedAt = reader.GetFieldValue<DateTimeOffset>(4),
                Attempts = reader.GetInt32(5),
                Error = reader.GetString(6),
            },
            // Without a cursor, start above every id there can be.
            cancellationToken, limit, after ?? Guid.AllBitsSet);

    private Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params object[] parameters) =>
        dataSource.ExecuteAsync(sql, cancellationToken, parameters);

    private Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken, params object[] parameters) =>
        dataSource.QueryAsync(sql, read, cancellationToken, parameters);
}
