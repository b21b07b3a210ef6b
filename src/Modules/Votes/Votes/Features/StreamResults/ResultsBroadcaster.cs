using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Shared.Json;
using Shared.Tenancy;
using Votes.Contracts;
using Votes.Data;

namespace Votes.Features.StreamResults;

/// <summary>
/// Feeds the live results streams of this instance. Four times a second it reads, in one round trip per tenant, the
/// state of every poll someone here is watching; for each poll whose counts, version or finality changed, it builds the
/// results event once and wakes all that poll's listeners. Tallies may be written by any instance's relay: reading the
/// shared database is what carries the change to every instance, and the tick is what coalesces a burst of votes
/// into at most four events a second. A poll's final results, and a poll that leaves the public routes, end its streams.
/// </summary>
internal sealed class ResultsBroadcaster(ShardMap shards, TenantScopes scopes, ILogger<ResultsBroadcaster> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);
    private readonly ConcurrentDictionary<Guid, PollChannel> _channels = new();
    private readonly Lock _subscriptions = new();

    /// <summary>Starts watching a poll for one listener; dispose the result to stop.</summary>
    public Subscription Subscribe(TenantPlacement tenant, Guid pollId)
    {
        lock (_subscriptions)
        {
            var channel = _channels.GetOrAdd(pollId, _ => new PollChannel(tenant));
            channel.Listeners++;
            return new Subscription(this, pollId, channel);
        }
    }

    private void Unsubscribe(Guid pollId, PollChannel channel)
    {
        lock (_subscriptions)
        {
            if (--channel.Listeners == 0)
            {
                _channels.TryRemove(pollId, out _);
            }
        }
    }

    /// <summary>
    /// The "event: results" frame for a view, as the stream writes it. Its id names what the results reflect (the
    /// poll's version and the number of votes counted), so the same results carry the same id on every instance.
    /// </summary>
    public static byte[] Frame(int pollVersion, PollResultsView view) =>
        Encoding.UTF8.GetBytes(
            $"id: {pollVersion}-{view.TotalVotes}{(view.Final ? "-final" : "")}\nevent: results\ndata: {JsonSerializer.Serialize(view, ApiJson.Options)}\n\n");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (_channels.IsEmpty)
            {
                continue;
            }
            // Each tenant's polls are read in a scope bound to that tenant, as row-level security requires.
            foreach (var tenant in _channels.GroupBy(c => c.Value.Tenant, c => c.Key))
            {
                await RefreshTenantAsync(tenant.Key, [.. tenant], stoppingToken);
            }
        }
    }

    private async Task RefreshTenantAsync(TenantPlacement tenant, Guid[] ids, CancellationToken stoppingToken)
    {
        try
        {
            await RefreshAsync(tenant, ids, stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Could not refresh live results of tenant {Tenant}; retrying on the next tick", tenant.TenantId);
        }
    }

    private async Task RefreshAsync(TenantPlacement tenant, Guid[] ids, CancellationToken stoppingToken)
    {
        var states = await ReadStatesAsync(tenant, ids, stoppingToken);
        List<(Guid Id, PollChannel Channel, string State)>? changed = null;
        foreach (var id in ids)
        {
            if (!_channels.TryGetValue(id, out var channel) || channel.Latest.Ends)
            {
                continue;
            }
            if (!states.TryGetValue(id, out var state))
            {
                // Archived: gone from the public routes, and so from its streams.
                channel.Publish(null, "gone", ends: true);
            }
            else if (channel.Latest.State != state)
            {
                (changed ??= []).Add((id, channel, state));
            }
        }
        if (changed is null)
        {
            return;
        }
        // Only for the polls that changed: their results, counted once however many listen.
        await scopes.RunAsync(tenant, async services =>
        {
            var db = services.GetRequiredService<VotesDbContext>();
            var results = services.GetRequiredService<IPollResults>();
            foreach (var (id, channel, state) in changed)
            {
                var replica = await db.PollReplicas.AsNoTracking().SingleAsync(r => r.PollId == id, stoppingToken);
                var view = await results.CountAsync(replica, stoppingToken);
                channel.Publish(Frame(replica.Version, view), state, ends: view.Final);
            }
        });
    }

    /// <summary>
    /// What each published poll among <paramref name="ids"/> is at now, as one comparable string (its version and its
    /// tally); a poll that is not published has none. Every tick asks this, so it is one round trip with no service
    /// scope and no entity: the tenant bound for row-level security and the query, in one implicit transaction.
    /// </summary>
    private async Task<Dictionary<Guid, string>> ReadStatesAsync(TenantPlacement tenant, Guid[] ids, CancellationToken stoppingToken)
    {
        await using var batch = shards.Shard(tenant.ShardId).CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT set_config('app.tenant_id', $1::text, true)") { Parameters = { new() { Value = tenant.TenantId } } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT r.poll_id, concat_ws('/', r.version, t.total_votes, t.last_vote_at, t.final)
            FROM votes.poll_replicas r LEFT JOIN votes.poll_tallies t ON t.poll_id = r.poll_id
            WHERE r.poll_id = ANY($1) AND NOT r.archived AND r.status <> 'Draft'
            """) { Parameters = { new() { Value = ids } } });
        await using var reader = await batch.ExecuteReaderAsync(stoppingToken);
        await reader.NextResultAsync(stoppingToken);
        var states = new Dictionary<Guid, string>(ids.Length);
        while (await reader.ReadAsync(stoppingToken))
        {
            states[reader.GetGuid(0)] = reader.GetString(1);
        }
        return states;
    }

    /// <summary>
    /// What a poll's listeners last got: the frame (null when the poll is gone), the state it reflects, a sequence
    /// number that grows, and whether it is the last one (final results, or the poll gone).
    /// </summary>
    internal sealed record Snapshot(byte[]? Frame, string? State, long Sequence, bool Ends);

    /// <summary>One poll's latest frame and the signal that tells its listeners a new one is there.</summary>
    internal sealed class PollChannel(TenantPlacement tenant)
    {
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Snapshot _latest = new(null, null, 0, false);

        /// <summary>The poll's owner, as placed when the first listener came; a move drops the stream (503), and listeners reconnect.</summary>
        public TenantPlacement Tenant => tenant;

        public int Listeners { get; set; }

        // Published as one immutable object, so a listener never pairs a new sequence with an old frame.
        public Snapshot Latest => Volatile.Read(ref _latest);

        public Task Changed => Volatile.Read(ref _changed).Task;

        public void Publish(byte[]? frame, string state, bool ends)
        {
            Volatile.Write(ref _latest, new Snapshot(frame, state, _latest.Sequence + 1, ends));
            Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    internal sealed class Subscription(ResultsBroadcaster broadcaster, Guid pollId, PollChannel channel) : IDisposable
    {
        public PollChannel Channel => channel;

        public void Dispose() => broadcaster.Unsubscribe(pollId, channel);
    }
}
