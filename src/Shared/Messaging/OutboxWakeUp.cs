using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Shared.Messaging;

/// <summary>
/// Tells the relays that outbox rows have committed: this instance's relay in-process and at once, the other
/// instances' relays by NOTIFY. NOTIFYs are coalesced: however many units of work commit in a short window,
/// one NOTIFY goes out, in a transaction of its own, so it never slows a data commit.
/// </summary>
internal sealed class OutboxWakeUp(OutboxSignal local, NpgsqlDataSource dataSource, ILogger<OutboxWakeUp> logger) : BackgroundService, IOutboxWakeUp
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(5);
    private readonly OutboxSignal _notifyRequested = new();

    public void Committed()
    {
        local.Pulse();
        _notifyRequested.Pulse();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _notifyRequested.WaitAsync(Timeout.InfiniteTimeSpan, stoppingToken);
                await using (var notify = dataSource.CreateCommand($"NOTIFY {MessagingDbContext.NotifyChannel}"))
                {
                    await notify.ExecuteNonQueryAsync(stoppingToken);
                }
                await Task.Delay(Window, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The other instances still poll; a missed NOTIFY costs them at most one poll interval.
                logger.LogWarning(e, "Could not NOTIFY the other relays");
            }
        }
    }
}
