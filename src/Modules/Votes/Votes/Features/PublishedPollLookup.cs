using Polls.Contracts;
using Shared.Http;

namespace Votes.Features;

internal static class PublishedPollLookup
{
    /// <summary>The published poll a public route names; a malformed id names none.</summary>
    public static async Task<PublishedPoll?> FindAsync(this IPublishedPolls polls, string routeId, CancellationToken cancellationToken) =>
        RouteId.TryParse(routeId, out var id) ? await polls.FindAsync(id, cancellationToken) : null;
}
