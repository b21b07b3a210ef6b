using System.Collections.Concurrent;
using Npgsql;
using Shared.Data;
using Shared.Tenancy;

namespace Votes.Data;

/// <summary>A vote taken off the queue and counted.</summary>
internal sealed record CountedVote(Guid TenantId, Guid PollId, Guid[] OptionIds, DateTimeOffset CastAt);

/// <summary>
/// Each shard's queue of <see cref="UncountedVote"/>s: told when votes have been stored there, and counts them in
/// batches, each in one transaction that deletes the rows it counts. Any number of instances may count one shard at
/// once: SKIP LOCKED gives each its own rows, and a counter that dies mid-batch rolls back and leaves them to the next.
/// </summary>
internal sealed class TallyQueue(ShardMap shards)
{
    private readonly ConcurrentDictionary<string, WakeUpSignal> _stored = new(StringComparer.Ordinal);

    /// <summary>Votes have committed on the shard: wakes this instance's counter there.</summary>
    public void Stored(string shardId) => Signal(shardId).Pulse();

    /// <summary>Waits until votes are stored on the shard through this instance, or the timeout passes.</summary>
    public Task<bool> WaitAsync(string shardId, TimeSpan timeout, CancellationToken cancellationToken) =>
        Signal(shardId).WaitAsync(timeout, cancellationToken);

    private WakeUpSignal Signal(string shardId) => _stored.GetOrAdd(shardId, _ => new WakeUpSignal());

    /// <summary>
    /// Takes up to <paramref name="batchSize"/> uncounted votes of tenants active on the shard and adds them to their
    /// polls' counts, in one transaction: the counts change exactly when the rows go. Returns the votes counted.
    /// </summary>
    public async Task<IReadOnlyList<CountedVote>> CountAsync(string shardId, int batchSize, CancellationToken cancellationToken)
    {
        await using var connection = await shards.Shard(shardId).OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var taken = await TakeAsync(connection, batchSize, cancellationToken);
        if (taken.Count == 0)
        {
            return taken;
        }
        await using var batch = new NpgsqlBatch(connection);
        // Tenant by tenant, in one order on every instance, and poll by poll inside each statement: two counters
        // lock tally rows in the same order, so they wait for each other instead of deadlocking.
        foreach (var tenant in taken.GroupBy(v => v.TenantId).OrderBy(g => g.Key))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT set_config('app.tenant_id', $1::text, true)") { Parameters = { new() { Value = tenant.Key } } });
            batch.BatchCommands.Add(AddToCounts(tenant.Key, [.. tenant]));
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return taken;
    }

    /// <summary>The shard's uncounted votes, counted here rather than by the counters, which may run elsewhere.</summary>
    public async Task<long> BacklogAsync(string shardId, CancellationToken cancellationToken)
    {
        await using var command = shards.Shard(shardId).CreateCommand("SELECT count(*) FROM votes.uncounted_votes");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Deletes a batch of uncounted votes and returns them. Only an active tenant's: while a tenant moves, its rows stay
    /// for the copy (and are counted on the shard it moves to), and the share lock on its residents row, taken as every
    /// write of a tenant takes it, makes a move wait for a batch that has its votes.
    /// </summary>
    private static async Task<List<CountedVote>> TakeAsync(NpgsqlConnection connection, int batchSize, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            WITH candidates AS MATERIALIZED (
                SELECT q.vote_id, q.tenant_id FROM votes.uncounted_votes q
                WHERE q.tenant_id IN (SELECT tenant_id FROM tenancy.residents WHERE state = 'active')
                ORDER BY q.vote_id LIMIT $1 FOR UPDATE SKIP LOCKED),
            active AS MATERIALIZED (
                SELECT r.tenant_id FROM tenancy.residents r
                WHERE r.tenant_id IN (SELECT tenant_id FROM candidates) AND r.state = 'active' FOR SHARE)
            DELETE FROM votes.uncounted_votes u USING candidates c
            WHERE u.vote_id = c.vote_id AND c.tenant_id IN (SELECT tenant_id FROM active)
            RETURNING u.tenant_id, u.poll_id, u.option_ids, u.cast_at
            """, connection) { Parameters = { new() { Value = batchSize } } };
        var taken = new List<CountedVote>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            taken.Add(new CountedVote(reader.GetGuid(0), reader.GetGuid(1), reader.GetFieldValue<Guid[]>(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }
        return taken;
    }

    /// <summary>
    /// One upsert per poll and one per (poll, option) for a tenant's votes, instead of a write per vote on the
    /// hottest rows in the database. A final poll's counts already hold every vote (see FinalTally) and are left alone.
    /// </summary>
    private static NpgsqlBatchCommand AddToCounts(Guid tenantId, List<CountedVote> votes)
    {
        var choices = votes.SelectMany(v => v.OptionIds.Select(option => (v.PollId, Option: option))).ToList();
        return new NpgsqlBatchCommand("""
            WITH counted AS (
                INSERT INTO votes.poll_tallies (tenant_id, poll_id, total_votes, last_vote_at)
                SELECT $1, poll_id, count(*), max(cast_at) FROM unnest($2::uuid[], $3::timestamptz[]) AS v(poll_id, cast_at)
                GROUP BY poll_id ORDER BY poll_id
                ON CONFLICT (poll_id) DO UPDATE SET total_votes = poll_tallies.total_votes + EXCLUDED.total_votes,
                    last_vote_at = GREATEST(poll_tallies.last_vote_at, EXCLUDED.last_vote_at)
                WHERE NOT poll_tallies.final
                RETURNING poll_id)
            INSERT INTO votes.option_tallies (tenant_id, poll_id, option_id, votes)
            SELECT $1, poll_id, option_id, count(*) FROM unnest($4::uuid[], $5::uuid[]) AS c(poll_id, option_id)
            WHERE poll_id IN (SELECT poll_id FROM counted)
            GROUP BY poll_id, option_id ORDER BY poll_id, option_id
            ON CONFLICT (poll_id, option_id) DO UPDATE SET votes = option_tallies.votes + EXCLUDED.votes
            """)
        {
            Parameters =
            {
                new() { Value = tenantId },
                new() { Value = votes.Select(v => v.PollId).ToArray() },
                new() { Value = votes.Select(v => v.CastAt).ToArray() },
                new() { Value = choices.Select(c => c.PollId).ToArray() },
                new() { Value = choices.Select(c => c.Option).ToArray() },
            },
        };
    }
}
