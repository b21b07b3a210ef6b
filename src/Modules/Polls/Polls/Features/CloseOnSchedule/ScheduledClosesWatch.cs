using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polls.Data;
using Shared.Data;
using Microsoft.Extensions.DependencyInjection;
using Shared.Tenancy;

namespace Polls.Features.CloseOnSchedule;

/// <summary>
/// Closes polls at their closesAt, on every instance alive then: each instance looks on each shard for the closes due
/// soon and times them itself, so a close is on time whichever instance opened the poll and whether or not it still
/// runs. A timer is the right tool for a moment the clock already defines: votes stop at closesAt by the clock
/// (<c>StatusAt</c>); this stores the closing and announces it. (Wolverine's durable schedules are found by polling
/// each database, which would have to run several times a second on every shard to be this punctual.)
/// </summary>
internal sealed class ScheduledClosesWatch(
    ShardMap shards, TenantDirectory directory, TenantScopes scopes, TimeProvider clock, IOptions<ScheduledCloseOptions> options,
    ILogger<ScheduledClosesWatch> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, ScheduledClose> _timed = new();

    /// <summary>Times a close; the instance that opens a poll calls this at once, for a close due before its next look.</summary>
    public void Watch(ScheduledClose due)
    {
        if (_timed.TryAdd(due.PollId, due))
        {
            _ = CloseWhenDueAsync(due);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            foreach (var shardId in shards.ShardIds)
            {
                try
                {
                    var soon = await shards.Shard(shardId).QueryAsync(
                        $"SELECT poll_id, tenant_id, closes_at FROM {PollsDbContext.Schema}.scheduled_closes WHERE closes_at < $1",
                        r => new ScheduledClose(r.GetGuid(0), r.GetGuid(1), r.GetFieldValue<DateTimeOffset>(2)),
                        stoppingToken, clock.GetUtcNow() + settings.Horizon);
                    soon.ForEach(Watch);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Could not look for polls closing soon on {Shard}; looking again in {Interval}", shardId, settings.LookEvery);
                }
            }
            await Task.Delay(settings.LookEvery, clock, stoppingToken);
        }
    }

    private async Task CloseWhenDueAsync(ScheduledClose due)
    {
        try
        {
            // Timers may fire a little early; the close is stored only once closesAt has passed on this clock.
            while (due.ClosesAt - clock.GetUtcNow() is var wait && wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, clock);
            }
            // The tenant's shard now, not the one the close was found on: the tenant may have moved since.
            if (await directory.FindAsync(due.TenantId, CancellationToken.None) is { } tenant)
            {
                await scopes.RunAsync(tenant, services => services.GetRequiredService<PollCloser>().CloseAsync(due, CancellationToken.None));
            }
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Closing poll {PollId} on schedule failed; the next look at its shard tries again", due.PollId);
        }
        finally
        {
            _timed.TryRemove(due.PollId, out _);
        }
    }
}
