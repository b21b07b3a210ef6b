using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shared.Json;
using Shared.Tenancy;
using Votes.Contracts;
using Votes.Data;

namespace Votes.Features.StreamResults;

/// <summary>
/// Feeds the live results streams of this instance. Four times a second it reads, in one query per tenant, the state
/// of every poll someone here is watching; for each poll whose counts, version or finality changed, it builds the results
/// event once and wakes all that poll's listeners. Tallies may be written by any instance's relay: reading the
/// shared database is what carries the change to every instance, and the tick is what coalesces a burst of votes
/// into at most four events a second.
/// </summary>
internal sealed class ResultsBroadcaster(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ResultsBroadcaster> logger) : BackgroundService
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

    /// <summary>The "event: results" frame for a view, as the stream writes it.</summary>
    public static byte[] Frame(PollResultsView view) =>
        Encoding.UTF8.GetBytes($"event: results\ndata: {JsonSerializer.Serialize(view, ApiJson.Options)}\n\n");

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
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantScope>().Enter(tenant);
        var db = scope.ServiceProvider.GetRequiredService<VotesDbContext>();
        var results = scope.ServiceProvider.GetRequiredService<IPollResults>();
        var polls = await (
                from replica in db.PollReplicas.AsNoTracking()
                where ids.Contains(replica.PollId)
                join tally in db.PollTallies.AsNoTracking() on replica.PollId equals tally.PollId into tallies
                from tally in tallies.DefaultIfEmpty()
                select new { replica, Total = (long?)tally!.TotalVotes, LastVoteAt = (DateTimeOffset?)tally!.LastVoteAt })
            .ToListAsync(stoppingToken);
        var now = clock.GetUtcNow();
        foreach (var poll in polls.Where(p => p.replica.IsPublished))
        {
            var final = poll.replica.IsFinalAt(now);
            var state = $"{poll.replica.Version}/{poll.Total}/{poll.LastVoteAt:O}/{final}";
            if (!_channels.TryGetValue(poll.replica.PollId, out var channel) || channel.Latest.State == state)
            {
                continue;
            }
            var view = await results.CountAsync(poll.replica, now, stoppingToken);
            channel.Publish(Frame(view), state);
        }
    }

    /// <summary>What a poll's listeners last got: the frame, the state it reflects, and a sequence number that grows.</summary>
    internal sealed record Snapshot(byte[]? Frame, string? State, long Sequence);

    /// <summary>One poll's latest frame and the signal that tells its listeners a new one is there.</summary>
    internal sealed class PollChannel(TenantPlacement tenant)
    {
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Snapshot _latest = new(null, null, 0);

        /// <summary>The poll's owner, as placed when the first listener came; a move drops the stream (503), and listeners reconnect.</summary>
        public TenantPlacement Tenant => tenant;

        public int Listeners { get; set; }

        // Published as one immutable object, so a listener never pairs a new sequence with an old frame.
        public Snapshot Latest => Volatile.Read(ref _latest);

        public Task Changed => Volatile.Read(ref _changed).Task;

        public void Publish(byte[] frame, string state)
        {
            Volatile.Write(ref _latest, new Snapshot(frame, state, _latest.Sequence + 1));
            Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    internal sealed class Subscription(ResultsBroadcaster broadcaster, Guid pollId, PollChannel channel) : IDisposable
    {
        public PollChannel Channel => channel;

        public void Dispose() => broadcaster.Unsubscribe(pollId, channel);
    }
}
