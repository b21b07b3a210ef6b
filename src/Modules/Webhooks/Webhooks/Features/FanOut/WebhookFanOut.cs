using Microsoft.EntityFrameworkCore;
using Polls.Contracts;
using Votes.Contracts;
using Webhooks.Data;
using Webhooks.Domain;

namespace Webhooks.Features.FanOut;

/// <summary>
/// Turns the events tenants can subscribe to into one delivery per subscribed endpoint, in the handler's
/// transaction: the inbox makes each event fan out exactly once, and the dispatcher takes it from there.
/// </summary>
internal sealed class WebhookFanOut(WebhooksDbContext db, TimeProvider clock)
{
    public Task FanOutAsync(PollOpened message, CancellationToken cancellationToken) =>
        FanOutAsync(message.Poll.TenantId, WebhookEvents.PollOpened, now => WebhookPayloads.Of(WebhookEvents.PollOpened, message.Poll, now), cancellationToken);

    public Task FanOutAsync(PollClosed message, CancellationToken cancellationToken) =>
        FanOutAsync(message.Poll.TenantId, WebhookEvents.PollClosed, now => WebhookPayloads.Of(WebhookEvents.PollClosed, message.Poll, now), cancellationToken);

    public Task FanOutAsync(PollResultsFinal message, CancellationToken cancellationToken) =>
        FanOutAsync(message.TenantId, WebhookEvents.ResultsFinal, _ => WebhookPayloads.Of(message), cancellationToken);

    private async Task FanOutAsync(Guid tenantId, string eventType, Func<DateTimeOffset, string> payload, CancellationToken cancellationToken)
    {
        var endpoints = await db.Endpoints.Where(e => e.TenantId == tenantId && e.DisabledAt == null).ToListAsync(cancellationToken);
        var subscribed = endpoints.Where(e => e.Subscribes(eventType)).ToList();
        if (subscribed.Count == 0)
        {
            return;
        }
        var now = clock.GetUtcNow();
        var body = payload(now);
        db.Deliveries.AddRange(subscribed.Select(endpoint => WebhookDelivery.For(endpoint, eventType, body, now)));
    }
}
