using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shared.Tenancy;

namespace Webhooks.Delivery;

/// <summary>
/// Sends due webhook deliveries, on every instance and for every shard: each round claims up to
/// <see cref="WebhookOptions.Concurrency"/> deliveries and sends them in parallel, each in a scope bound to its
/// tenant. It has its own queue rather than the bus's relay, whose deliveries run one after another per shard: a
/// slow receiver would hold up every module's messages there for as long as its timeout.
/// </summary>
internal sealed class WebhookDispatcher(ShardMap shards, TenantScopes scopes, IOptions<WebhookOptions> options, ILogger<WebhookDispatcher> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(shards.ShardIds.Select(shardId => DispatchAsync(shardId, stoppingToken)));

    private async Task DispatchAsync(string shardId, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        // Long enough for a request at its timeout and the recording after it; a lapsed lease means a dead sender.
        var lease = settings.Timeout * 2 + TimeSpan.FromSeconds(10);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var claimed = await DeliveryQueue.ClaimAsync(shards.Shard(shardId), settings.Concurrency, lease, stoppingToken);
                if (claimed.Count > 0)
                {
                    await Task.WhenAll(claimed.Select(delivery => AttemptAsync(shardId, delivery, stoppingToken)));
                    continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Claiming webhook deliveries on shard {Shard} failed; retrying", shardId);
            }
            await PauseAsync(settings.PollInterval, stoppingToken);
        }
    }

    private async Task AttemptAsync(string shardId, ClaimedDelivery delivery, CancellationToken stoppingToken)
    {
        try
        {
            await scopes.RunAsync(new TenantPlacement(delivery.TenantId, shardId),
                services => services.GetRequiredService<DeliveryAttempts>().RunAsync(delivery.Id, stoppingToken));
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // Its lease lapses and it is tried again: a tenant being moved, a shard briefly away.
            logger.LogWarning(e, "Webhook delivery {Delivery} could not be attempted; it is retried when its lease lapses", delivery.Id);
        }
    }

    private static async Task PauseAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
