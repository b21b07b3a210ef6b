using Shared.Data;

namespace Webhooks.Domain;

/// <summary>
/// A URL of the tenant's that is told of the events it subscribed to. After a secret rotation the previous secret
/// still signs for a grace period (each request then carries both signatures), so a receiver can switch without
/// dropping a delivery. An endpoint that keeps failing is disabled, with the reason kept for the tenant to read.
/// </summary>
internal sealed class WebhookEndpoint : ITimeOrdered
{
    public const int UrlMaxLength = 2048;
    public const int DescriptionMaxLength = 500;
    public const int ReasonMaxLength = 500;

    public Guid Id { get; private set; }
    public Guid TenantId { get; private set; }
    public string Url { get; private set; } = "";
    public List<string> Events { get; private set; } = [];
    public string? Description { get; private set; }
    public string Secret { get; private set; } = "";
    public string? PreviousSecret { get; private set; }
    public DateTimeOffset? PreviousSecretExpiresAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public int ConsecutiveFailures { get; private set; }
    public DateTimeOffset? DisabledAt { get; private set; }
    public string? DisabledReason { get; private set; }

    private WebhookEndpoint()
    {
    }

    public static WebhookEndpoint Register(Guid tenantId, Uri url, IEnumerable<string> events, string? description, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        TenantId = tenantId,
        Url = url.AbsoluteUri,
        Events = events.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
        Description = description,
        Secret = WebhookSecret.Generate(),
        CreatedAt = now,
    };

    public bool IsEnabled => DisabledAt is null;

    public bool Subscribes(string eventType) => IsEnabled && Events.Contains(eventType);

    public void RotateSecret(TimeSpan grace, DateTimeOffset now)
    {
        PreviousSecret = Secret;
        PreviousSecretExpiresAt = now + grace;
        Secret = WebhookSecret.Generate();
    }

    /// <summary>The secrets a request is signed with at <paramref name="now"/>: the current one, and the previous one while its grace lasts.</summary>
    public IEnumerable<string> SigningSecrets(DateTimeOffset now)
    {
        yield return Secret;
        if (PreviousSecret is not null && PreviousSecretExpiresAt > now)
        {
            yield return PreviousSecret;
        }
    }

    public void Succeeded() => ConsecutiveFailures = 0;

    /// <summary>Back in service with a clean count: the failures that disabled it were the old receiver's.</summary>
    public void Enable()
    {
        DisabledAt = null;
        DisabledReason = null;
        ConsecutiveFailures = 0;
    }

    /// <summary>Counts a failed attempt; true when it is the one that disables the endpoint.</summary>
    public bool Failed(int disableAfter, string reason, DateTimeOffset now)
    {
        ConsecutiveFailures++;
        if (!IsEnabled || ConsecutiveFailures < disableAfter)
        {
            return false;
        }
        DisabledAt = now;
        var why = $"Disabled after {ConsecutiveFailures} consecutive failed attempts; the last: {reason}";
        DisabledReason = why.Length <= ReasonMaxLength ? why : why[..ReasonMaxLength];
        return true;
    }
}
