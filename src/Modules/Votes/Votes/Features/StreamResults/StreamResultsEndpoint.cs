using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Shared.Tenancy;
using Votes.Contracts;
using Votes.Data;

namespace Votes.Features.StreamResults;

internal static class StreamResultsEndpoint
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);
    private static readonly byte[] HeartbeatFrame = ": heartbeat\n\n"u8.ToArray();

    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/{pollId}/results/stream", Handle)
            .AllowAnonymous()
            .WithSummary("Live results as Server-Sent Events")
            .WithName("streamPublicResults")
            .WithDescription("An `event: results` (with an `id:`) carrying the results JSON now, on a reconnect with `Last-Event-ID` too, and whenever the counts change (at most four a second); a comment every 15 s while nothing changes. When the poll closes, the final results (`final: true`) and the end of the stream. The same visibility rule as the results route.")
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<Results<EmptyHttpResult, ProblemHttpResult>> Handle(
        string pollId, string? voterKey, HttpContext http, PublishedPolls published, VotesDbContext db, IPollResults results, ResultsBroadcaster broadcaster, LiveResultsMetrics metrics, TenantScope tenant,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var (poll, refusal) = await ResultsAccess.FindVisibleAsync(published, db, pollId, voterKey, clock.GetUtcNow(), cancellationToken);
        if (poll is null)
        {
            return refusal!;
        }
        using var subscription = broadcaster.Subscribe(tenant.Required, poll.PollId);
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        // Tells nginx-style proxies to pass events through as they come instead of buffering them.
        response.Headers["X-Accel-Buffering"] = "no";

        // The current results at once, on a first connection and on a reconnect (with Last-Event-ID) alike. Frames the
        // channel already had are older than these; what it publishes from here on is followed.
        var seen = subscription.Channel.Latest.Sequence;
        var first = await results.CountAsync(poll, cancellationToken);
        var sent = ResultsBroadcaster.Frame(poll.Version, first);
        await WriteAsync(response, sent, cancellationToken);
        if (first.Final)
        {
            return TypedResults.Empty;
        }
        metrics.Opened();
        try
        {
            await FollowAsync(response, subscription.Channel, seen, sent, clock, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The listener left.
        }
        finally
        {
            metrics.Closed();
        }
        return TypedResults.Empty;
    }

    /// <summary>
    /// Writes each new frame of the poll's channel, and a heartbeat after 15 s without one, until the channel's last
    /// frame (final results, or the poll gone). A change that leaves the results as they were writes nothing.
    /// </summary>
    private static async Task FollowAsync(
        HttpResponse response, ResultsBroadcaster.PollChannel channel, long seen, byte[] sent, TimeProvider clock, CancellationToken cancellationToken)
    {
        var quietSince = clock.GetTimestamp();
        while (true)
        {
            var changed = channel.Changed;
            var latest = channel.Latest;
            if (latest.Sequence == seen)
            {
                var quiet = Heartbeat - clock.GetElapsedTime(quietSince);
                try
                {
                    await changed.WaitAsync(quiet > TimeSpan.Zero ? quiet : TimeSpan.Zero, clock, cancellationToken);
                }
                catch (TimeoutException)
                {
                    // Nothing new for a while: a comment keeps proxies from closing the stream.
                    await WriteAsync(response, HeartbeatFrame, cancellationToken);
                    quietSince = clock.GetTimestamp();
                }
                continue;
            }
            seen = latest.Sequence;
            if (latest.Frame is { } frame && !frame.AsSpan().SequenceEqual(sent))
            {
                await WriteAsync(response, frame, cancellationToken);
                sent = frame;
                quietSince = clock.GetTimestamp();
            }
            if (latest.Ends)
            {
                return;
            }
        }
    }

    private static async Task WriteAsync(HttpResponse response, byte[] frame, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(frame, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
