using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shared.Data;
using Shared.Tenancy;

namespace Shared.Messaging;

/// <summary>
/// Tells a shard's relay that outbox rows have committed there: in-process at once, in case this instance owns that
/// relay, and by NOTIFY on the shard for whichever instance does. NOTIFYs are coalesced: however many units of work
/// commit in a short window, one NOTIFY per shard goes out, in a transaction of its own, so it never slows a commit.
/// </summary>
internal sealed class OutboxWakeUp(OutboxShards outboxes, ShardMap shards, ILogger<OutboxWakeUp> logger) : BackgroundService, IOutboxWakeUp
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(5);
    private readonly WakeUpSignal _notifyRequested = new();
    private readonly ConcurrentDictionary<string, bool> _toNotify = new(StringComparer.Ordinal);

    public void Committed(string shardId)
    {
        outboxes.Signal(shardId).Pulse();
        _toNotify[shardId] = true;
        _notifyRequested.Pulse();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _notifyRequested.WaitAsync(Timeout.InfiniteTimeSpan, stoppingToken);
                foreach (var shardId in _toNotify.Keys)
                {
                    _toNotify.TryRemove(shardId, out _);
                    await NotifyAsync(shardId, stoppingToken);
                }
                await Task.Delay(Window, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task NotifyAsync(string shardId, CancellationToken stoppingToken)
    {
        try
        {
            await shards.Shard(shardId).ExecuteAsync($"NOTIFY {MessagingDbContext.NotifyChannel}", stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // The owning relay still polls; a missed NOTIFY costs it at most one poll interval.
            logger.LogWarning(e, "Could not NOTIFY the relay of shard {Shard}", shardId);
        }
    }
}
