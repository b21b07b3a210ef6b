using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Webhooks.Data;
using Webhooks.Domain;

namespace Webhooks.Delivery;

/// <summary>
/// One attempt of one claimed delivery, in a scope bound to its tenant: reads the delivery and its endpoint, sends,
/// then records the attempt, the delivery's next step and the endpoint's failure count in one transaction. The
/// failure that reaches <see cref="WebhookOptions.DisableAfterFailures"/> disables the endpoint and cancels what
/// it still had pending.
/// </summary>
internal sealed class DeliveryAttempts(WebhooksDbContext db, WebhookSender sender, IOptions<WebhookOptions> options, TimeProvider clock)
{
    public async Task RunAsync(Guid deliveryId, CancellationToken cancellationToken)
    {
        var delivery = await db.Deliveries.SingleOrDefaultAsync(d => d.Id == deliveryId && d.NextAttemptAt != null, cancellationToken);
        if (delivery is null)
        {
            return;
        }
        var endpoint = await db.Endpoints.SingleOrDefaultAsync(e => e.Id == delivery.EndpointId, cancellationToken);
        if (endpoint is not { IsEnabled: true })
        {
            await CancelAsync(delivery, cancellationToken);
            return;
        }
        var attemptedAt = clock.GetUtcNow();
        var outcome = await sender.SendAsync(endpoint, delivery, cancellationToken);
        await RecordAsync(delivery.Id, endpoint.Id, outcome, attemptedAt, cancellationToken);
    }

    private async Task CancelAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        delivery.Cancel();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Reads both rows again under lock, since a rotation, a removal or another delivery's attempt may have
    /// changed them while the request was out.
    /// </summary>
    private async Task RecordAsync(Guid deliveryId, Guid endpointId, SendOutcome outcome, DateTimeOffset attemptedAt, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var endpoint = await db.Endpoints.FromSql($"SELECT * FROM webhooks.endpoints WHERE id = {endpointId} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
        var delivery = await db.Deliveries.FromSql($"SELECT * FROM webhooks.deliveries WHERE id = {deliveryId} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
        if (endpoint is null || delivery is null)
        {
            return;
        }
        var settings = options.Value;
        var now = clock.GetUtcNow();
        delivery.Attempted();
        var attempt = DeliveryAttempt.Of(delivery, outcome, attemptedAt);
        db.Attempts.Add(attempt);
        if (outcome.Succeeded)
        {
            delivery.Succeeded();
            endpoint.Succeeded();
        }
        else if (endpoint.Failed(settings.DisableAfterFailures, outcome.Summary, now))
        {
            attempt.MarkDisabledEndpoint();
            delivery.Cancel();
            await db.Deliveries.Where(d => d.EndpointId == endpointId && d.Id != deliveryId && d.NextAttemptAt != null)
                .ExecuteUpdateAsync(d => d.SetProperty(x => x.State, DeliveryState.Cancelled).SetProperty(x => x.NextAttemptAt, (DateTimeOffset?)null), cancellationToken);
        }
        else
        {
            delivery.Failed(settings.Retries, now);
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
