using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
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
        routes.MapGet("/api/public/polls/{pollId}/results/stream", Handle)
            .AllowAnonymous()
            .WithSummary("Live results as Server-Sent Events")
            .WithDescription("An `event: results` with the results JSON now and whenever the counts change (at most four a second), and a comment every 15 s. The same visibility rule as the results route.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<IResult> Handle(
        string pollId, string? voterKey, HttpContext http, PublishedPolls published, VotesDbContext db, IPollResults results, ResultsBroadcaster broadcaster, LiveResultsMetrics metrics, TenantScope tenant,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (poll, refusal) = await ResultsAccess.FindVisibleAsync(published, db, pollId, voterKey, now, cancellationToken);
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

        var first = await results.CountAsync(poll, now, cancellationToken);
        var sent = ResultsBroadcaster.Frame(first);
        await WriteAsync(response, sent, cancellationToken);
        var seen = subscription.Channel.Latest.Sequence;
        metrics.Opened();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var changed = subscription.Channel.Changed;
                if (subscription.Channel.Latest.Sequence == seen)
                {
                    try
                    {
                        await changed.WaitAsync(Heartbeat, cancellationToken);
                    }
                    catch (TimeoutException)
                    {
                        // Nothing new for a while: the heartbeat below keeps proxies from closing the stream.
                    }
                }
                var latest = subscription.Channel.Latest;
                if (latest.Sequence != seen && latest.Frame is { } frame && !frame.AsSpan().SequenceEqual(sent))
                {
                    seen = latest.Sequence;
                    sent = frame;
                    await WriteAsync(response, frame, cancellationToken);
                }
                else
                {
                    await WriteAsync(response, HeartbeatFrame, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The listener left.
        }
        finally
        {
            metrics.Closed();
        }
        return Results.Empty;
    }

    private static async Task WriteAsync(HttpResponse response, byte[] frame, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(frame, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
