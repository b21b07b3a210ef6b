namespace Webhooks.Domain;

internal enum DeliveryState
{
    Pending,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>
/// One event on its way to one endpoint: the exact body, signed afresh on each attempt and sent with the same id
/// (<c>webhook-id</c>), so a receiver can drop repeats. The dispatcher's queue: this table has no row-level
/// security, because the dispatcher claims due deliveries for every tenant on the shard; it reads the endpoint
/// and records each attempt in a unit of work bound to the delivery's tenant.
/// </summary>
internal sealed class WebhookDelivery
{
    public const int EventMaxLength = 32;

    public Guid Id { get; private set; }
    public Guid TenantId { get; private set; }
    public Guid EndpointId { get; private set; }
    public string Event { get; private set; } = "";
    public string Payload { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public int Attempts { get; private set; }
    public DeliveryState State { get; private set; }

    /// <summary>When the dispatcher should try next; null once the delivery is over.</summary>
    public DateTimeOffset? NextAttemptAt { get; private set; }

    /// <summary>A dispatcher's lease while it sends; another instance takes the delivery over only once it has lapsed.</summary>
    public DateTimeOffset? LockedUntil { get; private set; }

    private WebhookDelivery()
    {
    }

    public static WebhookDelivery For(WebhookEndpoint endpoint, string eventType, string payload, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        TenantId = endpoint.TenantId,
        EndpointId = endpoint.Id,
        Event = eventType,
        Payload = payload,
        CreatedAt = now,
        State = DeliveryState.Pending,
        NextAttemptAt = now,
    };

    public int Attempted() => ++Attempts;

    public void Succeeded() => Finish(DeliveryState.Succeeded);

    /// <summary>Tries again after the delay for this attempt, or gives up when the schedule is spent.</summary>
    public void Failed(IReadOnlyList<TimeSpan> retryDelays, DateTimeOffset now)
    {
        if (Attempts > retryDelays.Count)
        {
            Finish(DeliveryState.Failed);
            return;
        }
        NextAttemptAt = now + retryDelays[Attempts - 1];
        LockedUntil = null;
    }

    /// <summary>Its endpoint was disabled or removed: nothing more is sent.</summary>
    public void Cancel() => Finish(DeliveryState.Cancelled);

    private void Finish(DeliveryState state)
    {
        State = state;
        NextAttemptAt = null;
        LockedUntil = null;
    }
}
