using Shared.Validation;
using Webhooks.Delivery;
using Webhooks.Domain;

namespace Webhooks.Features.RegisterWebhook;

internal static class RegisterWebhookValidator
{
    /// <summary>Checks the request, resolving the URL's host; returns the URL when everything is valid.</summary>
    public static async Task<(Uri? Url, ValidationErrors Errors)> ValidateAsync(
        RegisterWebhookRequest request, DestinationPolicy destinations, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var url = await CheckUrlAsync(request.Url, errors, destinations, cancellationToken);
        CheckEvents(request.Events, errors);
        errors.OptionalText("description", request.Description, WebhookEndpoint.DescriptionMaxLength);
        return (errors.Any ? null : url, errors);
    }

    private static async Task<Uri?> CheckUrlAsync(string? raw, ValidationErrors errors, DestinationPolicy destinations, CancellationToken cancellationToken)
    {
        if (!errors.RequireText("url", raw, WebhookEndpoint.UrlMaxLength))
        {
            return null;
        }
        if (!Uri.TryCreate(raw, UriKind.Absolute, out var url) || url.HostNameType == UriHostNameType.Unknown)
        {
            errors.Add("url", "Must be an absolute URL.");
            return null;
        }
        var refusal = destinations.RefusalOf(url) ?? destinations.RefusalOf(await DestinationPolicy.ResolveAsync(url.IdnHost, cancellationToken));
        if (refusal is not null)
        {
            errors.Add("url", refusal);
            return null;
        }
        return url;
    }

    private static void CheckEvents(IReadOnlyList<string?>? events, ValidationErrors errors)
    {
        if (events is null || events.Count == 0)
        {
            errors.Add("events", "Name at least one event.");
            return;
        }
        foreach (var name in events.Where(e => e is null || !WebhookEvents.All.Contains(e)).Distinct())
        {
            errors.Add("events", $"'{name}' is not an event; use {string.Join(", ", WebhookEvents.All)}.");
        }
    }
}
