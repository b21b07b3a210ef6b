using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shared.Data;
using Shared.Json;
using Shared.Tenancy;

namespace Shared.Messaging;

/// <summary>
/// Delivers one shard's outbox, on the instance that owns that shard's relay (<see cref="RelayOwnership"/>): it
/// claims due messages in batches, hands them to their handlers in scopes bound to each message's tenant, then marks
/// them delivered, reschedules them with backoff, or moves them to the dead letters. It sleeps until a NOTIFY, the
/// next due time, or the poll interval, whichever comes first.
/// </summary>
internal sealed class OutboxRelay(
    string shardId,
    OutboxStore store,
    WakeUpSignal signal,
    MessageRegistry registry,
    MessagingMetrics metrics,
    IServiceScopeFactory scopes,
    MessagingOptions settings,
    TimeProvider clock,
    ILogger logger)
{
    private static readonly TimeSpan TenantMovingRetry = TimeSpan.FromSeconds(1);

    public Task RunAsync(CancellationToken stoppingToken) => Task.WhenAll(DeliverAsync(stoppingToken), KeepHouseAsync(stoppingToken));

    private async Task DeliverAsync(CancellationToken stoppingToken)
    {
        var pollInterval = TimeSpan.FromMilliseconds(settings.PollIntervalMilliseconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var lease = TimeSpan.FromSeconds(settings.LeaseSeconds);
                var claimed = await store.ClaimAsync(settings.BatchSize, lease, stoppingToken);
                if (claimed.Count > 0)
                {
                    using var renewing = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    var renewal = RenewWhileDeliveringAsync(claimed.Select(m => m.Id).ToList(), lease, renewing.Token);
                    try
                    {
                        await DeliverBatchAsync(claimed, stoppingToken);
                    }
                    finally
                    {
                        await renewing.CancelAsync();
                        await renewal;
                    }
                    continue;
                }
                var untilDue = await store.UntilNextDueAsync(stoppingToken);
                var sleep = untilDue is { } due && due < pollInterval ? due : pollInterval;
                await signal.WaitAsync(sleep, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Outbox relay round on shard {Shard} failed; retrying", shardId);
                await Delay(pollInterval, stoppingToken);
            }
        }
    }

    /// <summary>Keeps the batch's claim alive at a third of the lease, for as long as its handlers run.</summary>
    private async Task RenewWhileDeliveringAsync(List<Guid> ids, TimeSpan lease, CancellationToken stop)
    {
        try
        {
            using var timer = new PeriodicTimer(lease / 3);
            while (await timer.WaitForNextTickAsync(stop))
            {
                await store.RenewAsync(ids, lease, stop);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not renew the claim on an outbox batch");
        }
    }

    private async Task DeliverBatchAsync(List<ClaimedMessage> claimed, CancellationToken stoppingToken)
    {
        var delivered = new List<ClaimedMessage>(claimed.Count);
        foreach (var group in claimed.GroupBy(m => (m.TenantId, m.MessageType)))
        {
            var type = registry.Find(group.Key.MessageType);
            var subscriptions = type is null ? [] : registry.SubscriptionsOf(type);
            if (subscriptions.Count == 0)
            {
                delivered.AddRange(group);
                continue;
            }
            var messages = new List<(ClaimedMessage Claim, object Message)>();
            foreach (var claim in group)
            {
                if (TryRead(claim, type!, out var message, out var error))
                {
                    messages.Add((claim, message));
                }
                else
                {
                    await BuryAsync(claim, error, stoppingToken);
                }
            }
            foreach (var (claim, failure) in await RunHandlersAsync(group.Key.TenantId, subscriptions, messages, stoppingToken))
            {
                if (failure is null)
                {
                    delivered.Add(claim);
                }
                else if (failure is TenantUnavailableException || failure.InnerException is TenantUnavailableException)
                {
                    await store.PostponeAsync(claim.Id, TenantMovingRetry, stoppingToken);
                }
                else
                {
                    await FailAsync(claim, registry.RetryPolicyOf(type), failure, stoppingToken);
                }
            }
        }
        if (delivered.Count > 0)
        {
            await store.CompleteAsync(delivered.Select(m => m.Id).ToList(), stoppingToken);
            var now = clock.GetUtcNow();
            foreach (var message in delivered)
            {
                metrics.Dispatched(message.DueAt, now);
            }
        }
    }

    /// <summary>Runs every subscription over each message on its own, so that one poison message cannot hold back the rest. Returns each message's first failure, if any.</summary>
    private async Task<List<(ClaimedMessage Claim, Exception? Failure)>> RunHandlersAsync(
        Guid? tenantId, IReadOnlyList<Subscription> subscriptions, List<(ClaimedMessage Claim, object Message)> messages, CancellationToken stoppingToken)
    {
        var failures = new Dictionary<Guid, Exception>();
        foreach (var subscription in subscriptions)
        {
            foreach (var message in messages)
            {
                if (await TryInvokeAsync(tenantId, subscription, [message], stoppingToken) is { } failure)
                {
                    failures.TryAdd(message.Claim.Id, failure);
                }
            }
        }
        return messages.Select(m => (m.Claim, failures.GetValueOrDefault(m.Claim.Id))).ToList();
    }

    private async Task<Exception?> TryInvokeAsync(
        Guid? tenantId, Subscription subscription, IReadOnlyList<(ClaimedMessage Claim, object Message)> messages, CancellationToken stoppingToken)
    {
        try
        {
            var tenant = tenantId is { } id ? new TenantPlacement(id, shardId) : null;
            await subscription.RunAsync(scopes, tenant, messages.Select(m => (m.Claim.Id, m.Message)).ToList(), stoppingToken);
            return null;
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "{Handler} failed on {Count} {MessageType} message(s)", subscription.Handler, messages.Count, subscription.MessageType.Name);
            return e;
        }
    }

    private async Task FailAsync(ClaimedMessage claim, RetryPolicy policy, Exception failure, CancellationToken stoppingToken)
    {
        var error = $"{failure.GetType().Name}: {failure.Message}";
        if (claim.Attempt >= policy.MaxAttempts)
        {
            await BuryAsync(claim, error, stoppingToken);
            return;
        }
        metrics.Retried();
        await store.RetryAsync(claim.Id, policy.DelayAfter(claim.Attempt), error, stoppingToken);
    }

    private async Task BuryAsync(ClaimedMessage claim, string error, CancellationToken stoppingToken)
    {
        logger.LogError("Message {MessageId} ({MessageType}) is a dead letter after {Attempts} attempt(s): {Error}",
            claim.Id, claim.MessageType, claim.Attempt, error);
        metrics.DeadLettered();
        await store.BuryAsync(claim.Id, error, stoppingToken);
    }

    private static bool TryRead(ClaimedMessage claim, Type type, out object message, out string error)
    {
        try
        {
            message = JsonSerializer.Deserialize(claim.Payload, type, ApiJson.Options)!;
            error = "";
            return true;
        }
        catch (JsonException e)
        {
            message = null!;
            error = $"Unreadable payload: {e.Message}";
            return false;
        }
    }

    private async Task KeepHouseAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(settings.HousekeepingIntervalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                metrics.ObservedBacklog(shardId, await store.BacklogAsync(stoppingToken));
                await store.CleanUpAsync(TimeSpan.FromSeconds(settings.RetainDispatchedSeconds), TimeSpan.FromHours(settings.InboxRetentionHours), stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Outbox housekeeping failed");
            }
            await Delay(interval, stoppingToken);
        }
    }

    /// <summary>Waits, or returns early without throwing when the instance stops.</summary>
    internal static async Task Delay(TimeSpan delay, CancellationToken stoppingToken)
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
