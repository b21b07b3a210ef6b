namespace Webhooks.Domain;

/// <summary>The events a tenant can subscribe an endpoint to (API.md), by the names receivers see in <c>type</c>.</summary>
internal static class WebhookEvents
{
    public const string PollOpened = "poll.opened";
    public const string PollClosed = "poll.closed";
    public const string ResultsFinal = "results.final";

    public static readonly IReadOnlyList<string> All = [PollOpened, PollClosed, ResultsFinal];
}
