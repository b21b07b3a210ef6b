using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Shared.Tenancy;
using Votes.Domain;

namespace Votes.Data;

/// <summary>
/// Stores votes in group commits. Concurrent requests queue their votes; each writer takes everything queued and
/// stores each tenant's share in one transaction on that tenant's shard: the votes, with the unique dedupe key
/// deciding duplicates, and an <see cref="UncountedVote"/> row for each vote stored, for the tally to count. A request
/// hears back only after that commit, so a 201 still means durably stored, but a thousand voters share a handful of
/// commits.
/// The same statement checks Votes' copy of each poll under the poll's <see cref="PollFence"/>: a vote is stored only
/// while the poll accepts votes, however stale the copy the request was checked against.
/// </summary>
internal sealed class BallotBox(ShardMap shards, TallyQueue tally, ILogger<BallotBox> logger) : BackgroundService
{
    private const int Writers = 4;
    private const int MaxBatch = 512;

    private readonly Channel<Ballot> _queue = Channel.CreateBounded<Ballot>(new BoundedChannelOptions(50_000) { SingleWriter = false });

    private sealed record Ballot(Vote Vote, string ShardId, TaskCompletionSource<BallotOutcome> Outcome);

    /// <summary>
    /// <see cref="BallotOutcome.Stored"/> once the vote is committed, else why it was not. Throws
    /// <see cref="TenantUnavailableException"/> while the tenant is being moved.
    /// </summary>
    public async Task<BallotOutcome> CastAsync(Vote vote, TenantPlacement tenant, CancellationToken cancellationToken)
    {
        var ballot = new Ballot(vote, tenant.ShardId, new TaskCompletionSource<BallotOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(ballot, cancellationToken);
        // Not cancelled with the request: once queued, the vote may commit, and the caller learns the outcome if it still waits.
        return await ballot.Outcome.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => WriteAsync(stoppingToken)));
        // Shutting down: votes still queued were never stored, and their requests are told so instead of hanging.
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var ballot))
        {
            ballot.Outcome.TrySetCanceled(stoppingToken);
        }
    }

    private async Task WriteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Ballot>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var ballot))
                {
                    batch.Add(ballot);
                }
                foreach (var tenantShare in batch.GroupBy(b => (b.ShardId, b.Vote.TenantId)))
                {
                    await StoreAsync([.. tenantShare], stoppingToken);
                }
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            foreach (var ballot in batch)
            {
                ballot.Outcome.TrySetCanceled(stoppingToken);
            }
        }
    }

    private async Task StoreAsync(List<Ballot> batch, CancellationToken stoppingToken)
    {
        try
        {
            var (stored, refused) = await InsertAsync(batch, stoppingToken);
            tally.Stored(batch[0].ShardId);
            foreach (var ballot in batch)
            {
                ballot.Outcome.TrySetResult(
                    stored.Contains(ballot.Vote.Id) ? BallotOutcome.Stored
                    : refused.TryGetValue(ballot.Vote.PollId, out var outcome) ? outcome
                    : BallotOutcome.AlreadyVoted);
            }
        }
        catch (Exception e) when (batch.Count > 1 && e is not (OperationCanceledException or TenantUnavailableException))
        {
            // One bad ballot must not fail its neighbours: store them one by one, and each gets its own outcome.
            logger.LogWarning(e, "A batch of {Count} votes failed; storing them one at a time", batch.Count);
            foreach (var ballot in batch)
            {
                await StoreAsync([ballot], stoppingToken);
            }
        }
        catch (Exception e)
        {
            foreach (var ballot in batch)
            {
                ballot.Outcome.TrySetException(e);
            }
        }
    }

    /// <summary>Stores one tenant's ballots on its shard; returns the ids of the votes stored, and the polls that refused theirs.</summary>
    private async Task<(HashSet<Guid> Stored, Dictionary<Guid, BallotOutcome> Refused)> InsertAsync(List<Ballot> batch, CancellationToken stoppingToken)
    {
        var tenantId = batch[0].Vote.TenantId;
        // One implicit transaction for the four statements: bind the tenant for row-level security, take the tenant's
        // move fence (a share lock on its residents row, as every tenant write does) and each poll's fence, then store
        // the votes and their rows in the tally's queue, or nothing at all if the tenant is not active here. A vote is
        // stored only if its poll accepts votes now (by Votes' copy, read after the poll fence is held); votes whose
        // dedupe key already exists (in the table, or earlier in this batch) are skipped, and only the votes stored are
        // queued for counting.
        await using var command = shards.Shard(batch[0].ShardId).CreateBatch();
        command.BatchCommands.Add(new NpgsqlBatchCommand("SELECT set_config('app.tenant_id', $1::text, true)") { Parameters = { new() { Value = tenantId } } });
        command.BatchCommands.Add(new NpgsqlBatchCommand("SELECT state FROM tenancy.residents WHERE tenant_id = $1 FOR SHARE") { Parameters = { new() { Value = tenantId } } });
        var votes = batch.Select(b => b.Vote).ToList();
        command.BatchCommands.Add(new NpgsqlBatchCommand(PollFence.SharedSql) { Parameters = { new() { Value = votes.Select(v => PollFence.KeyOf(v.PollId)).ToArray() } } });
        var insert = new NpgsqlBatchCommand("""
            WITH accepting AS (
                SELECT r.poll_id FROM votes.poll_replicas r
                WHERE r.poll_id = ANY($3) AND r.status = 'Open' AND NOT r.archived
                  AND (r.opens_at IS NULL OR r.opens_at <= clock_timestamp()) AND (r.closes_at IS NULL OR r.closes_at > clock_timestamp())),
            ballot AS (
                SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
                    AS b(id, tenant_id, poll_id, option_ids, voter_key, dedupe_key, cast_at)
                WHERE EXISTS (SELECT 1 FROM tenancy.residents r WHERE r.tenant_id = $8 AND r.state = 'active')
                  AND b.poll_id IN (SELECT poll_id FROM accepting)),
            stored AS (
                INSERT INTO votes.votes (id, tenant_id, poll_id, option_ids, voter_key, dedupe_key, cast_at)
                SELECT id, tenant_id, poll_id, option_ids::uuid[], voter_key, dedupe_key, cast_at FROM ballot
                ON CONFLICT (poll_id, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
                RETURNING id),
            queued AS (
                INSERT INTO votes.uncounted_votes (vote_id, tenant_id, poll_id, option_ids, cast_at)
                SELECT b.id, b.tenant_id, b.poll_id, b.option_ids::uuid[], b.cast_at FROM ballot b JOIN stored s ON s.id = b.id)
            SELECT id, NULL::uuid, false FROM stored
            UNION ALL
            SELECT NULL, p.poll_id, COALESCE(r.archived, true)
            FROM (SELECT DISTINCT unnest($3::uuid[]) AS poll_id) p LEFT JOIN votes.poll_replicas r ON r.poll_id = p.poll_id
            WHERE p.poll_id NOT IN (SELECT poll_id FROM accepting)
            """);
        insert.Parameters.Add(new NpgsqlParameter { Value = votes.Select(v => v.Id).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = votes.Select(v => v.TenantId).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = votes.Select(v => v.PollId).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = votes.Select(v => "{" + string.Join(',', v.OptionIds) + "}").ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = votes.Select(v => v.VoterKey).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = votes.Select(v => v.DedupeKey).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = votes.Select(v => v.CastAt).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        command.BatchCommands.Add(insert);

        await using var reader = await command.ExecuteReaderAsync(stoppingToken);
        await reader.NextResultAsync(stoppingToken);
        var state = await reader.ReadAsync(stoppingToken) ? reader.GetString(0) : null;
        await reader.NextResultAsync(stoppingToken);
        await reader.NextResultAsync(stoppingToken);
        var stored = new HashSet<Guid>();
        var refused = new Dictionary<Guid, BallotOutcome>();
        while (await reader.ReadAsync(stoppingToken))
        {
            if (reader.IsDBNull(0))
            {
                // Archived, or unknown to Votes: to voters the poll is not there. Otherwise it is closed, or not open yet.
                refused[reader.GetGuid(1)] = reader.GetBoolean(2) ? BallotOutcome.PollGone : BallotOutcome.PollNotOpen;
            }
            else
            {
                stored.Add(reader.GetGuid(0));
            }
        }
        if (state != TenantStates.Active)
        {
            throw new TenantUnavailableException(tenantId, state == TenantStates.Moving ? "it is being moved" : $"it does not live on shard '{batch[0].ShardId}'");
        }
        return (stored, refused);
    }
}

/// <summary>What became of a ballot.</summary>
internal enum BallotOutcome
{
    Stored,
    AlreadyVoted,
    PollNotOpen,
    PollGone,
}
