using Shared.Data;

namespace Webhooks.Domain;

/// <summary>What one attempt to deliver an event got: the receiver's status code, how long it took, or why it failed.</summary>
internal sealed class DeliveryAttempt : ITimeOrdered
{
    public const int ErrorMaxLength = 500;

    public Guid Id { get; private set; }
    public Guid TenantId { get; private set; }
    public Guid EndpointId { get; private set; }
    public Guid DeliveryId { get; private set; }
    public string Event { get; private set; } = "";
    public int Attempt { get; private set; }
    public DateTimeOffset AttemptedAt { get; private set; }
    public int? StatusCode { get; private set; }
    public int LatencyMilliseconds { get; private set; }
    public string? Error { get; private set; }
    public bool Succeeded { get; private set; }

    /// <summary>This attempt was the failure that disabled the endpoint.</summary>
    public bool DisabledEndpoint { get; private set; }

    private DeliveryAttempt()
    {
    }

    public static DeliveryAttempt Of(WebhookDelivery delivery, SendOutcome outcome, DateTimeOffset attemptedAt) => new()
    {
        Id = Guid.CreateVersion7(attemptedAt),
        TenantId = delivery.TenantId,
        EndpointId = delivery.EndpointId,
        DeliveryId = delivery.Id,
        Event = delivery.Event,
        Attempt = delivery.Attempts,
        AttemptedAt = attemptedAt,
        StatusCode = outcome.StatusCode,
        LatencyMilliseconds = outcome.LatencyMilliseconds,
        Error = outcome.Error is { Length: > ErrorMaxLength } text ? text[..ErrorMaxLength] : outcome.Error,
        Succeeded = outcome.Succeeded,
    };

    public void MarkDisabledEndpoint() => DisabledEndpoint = true;
}

/// <summary>How one request went: a status code when the receiver answered, an error when it did not or said no.</summary>
internal sealed record SendOutcome(int? StatusCode, int LatencyMilliseconds, string? Error)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;

    public string Summary => Error ?? $"HTTP {StatusCode}";
}
