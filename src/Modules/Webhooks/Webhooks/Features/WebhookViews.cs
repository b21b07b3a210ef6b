using Webhooks.Domain;

namespace Webhooks.Features;

/// <summary>An endpoint as its tenant sees it: never its secret, which only registration and rotation show.</summary>
internal sealed record WebhookView(
    Guid Id, string Url, IReadOnlyList<string> Events, string? Description, DateTimeOffset CreatedAt,
    bool Enabled, DateTimeOffset? DisabledAt, string? DisabledReason)
{
    public static WebhookView Of(WebhookEndpoint endpoint) => new(
        endpoint.Id, endpoint.Url, endpoint.Events, endpoint.Description, endpoint.CreatedAt,
        endpoint.IsEnabled, endpoint.DisabledAt, endpoint.DisabledReason);
}
