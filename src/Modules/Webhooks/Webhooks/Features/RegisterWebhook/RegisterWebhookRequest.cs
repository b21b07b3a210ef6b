using Shared.OpenApi;

namespace Webhooks.Features.RegisterWebhook;

[RequestBody]
internal sealed record RegisterWebhookRequest(string? Url, IReadOnlyList<string?>? Events, [property: OptionalField] string? Description);

/// <summary>The only answer that carries the endpoint's secret, besides a rotation's.</summary>
internal sealed record RegisteredWebhookResponse(
    Guid Id, string Url, IReadOnlyList<string> Events, string? Description, DateTimeOffset CreatedAt, string Secret);
