using Npgsql;

namespace Shared.Messaging;

/// <summary>A message the relay has claimed, with the attempt this delivery is.</summary>
internal sealed record ClaimedMessage(Guid Id, string MessageType, string Payload, int Attempt, DateTimeOffset DueAt);

/// <summary>The relay's SQL against <c>messaging.outbox</c>. Times come from the database, so instances agree on them.</summary>
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
            RETURNING o.id, o.message_type, o.payload::text, o.attempts, o.due_at
            """,
            reader => new ClaimedMessage(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetFieldValue<DateTimeOffset>(4)),
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

    /// <summary>Moves a message to the dead letters, in one transaction so it is never in both places or neither.</summary>
    public Task BuryAsync(Guid id, string error, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            WITH gone AS (DELETE FROM messaging.outbox WHERE id = $1 RETURNING id, message_type, payload, created_at, attempts)
            INSERT INTO messaging.dead_letters (id, message_type, payload, created_at, failed_at, attempts, error)
            SELECT id, message_type, payload, created_at, now(), attempts, $2 FROM gone
            """, cancellationToken, id, error);

    /// <summary>Puts a dead letter back in the outbox with fresh attempts, keeping its id so handlers that succeeded skip it.</summary>
    public async Task<bool> ReplayAsync(Guid id, CancellationToken cancellationToken) =>
        await ExecuteAsync("""
            WITH back AS (DELETE FROM messaging.dead_letters WHERE id = $1 RETURNING id, message_type, payload, created_at)
            INSERT INTO messaging.outbox (id, message_type, payload, created_at, due_at, attempts)
            SELECT id, message_type, payload, created_at, now(), 0 FROM back
            """, cancellationToken, id) == 1;

    public async Task InsertAsync(OutboxMessage message, CancellationToken cancellationToken) =>
        await ExecuteAsync("""
            INSERT INTO messaging.outbox (id, message_type, payload, created_at, due_at, attempts)
            VALUES ($1, $2, $3::jsonb, $4, $5, 0)
            """, cancellationToken, message.Id, message.MessageType, message.Payload, message.CreatedAt, message.DueAt);

    /// <summary>How long until the next pending message falls due (zero if one is due now), or null if none is pending.</summary>
    public async Task<TimeSpan?> UntilNextDueAsync(CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            "SELECT GREATEST(min(COALESCE(GREATEST(locked_until, due_at), due_at)) - now(), interval '0') FROM messaging.outbox WHERE dispatched_at IS NULL",
            reader => reader.IsDBNull(0) ? (TimeSpan?)null : reader.GetTimeSpan(0), cancellationToken);
        return rows[0];
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

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = Command(sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }
        return rows;
    }

    private NpgsqlCommand Command(string sql, object[] parameters)
    {
        var command = dataSource.CreateCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        return command;
    }
}
