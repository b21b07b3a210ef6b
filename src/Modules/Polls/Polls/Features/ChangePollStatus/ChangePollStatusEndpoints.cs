using Identity.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Polls.Contracts;
using Polls.Data;
using Polls.Domain;
using Polls.Features.CloseOnSchedule;
using Shared.Problems;
using Shared.OpenApi;

namespace Polls.Features.ChangePollStatus;

/// <summary><c>draft → open → closed</c>; any other move is <c>409 invalid_transition</c>.</summary>
internal static class ChangePollStatusEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        MapTransition(routes, "open", "openPoll", "Open a draft poll for voting",
            "Editors and admins. Voters see the poll on every instance once this answers; with closesAt set it also closes by itself then (± 1 s).",
            (poll, now, db, closes) =>
        {
            var opened = poll.Open(now);
            if (opened.Succeeded && poll.ClosesAt is { } closesAt)
            {
                // The poll closes itself on time, on whichever instance is alive then.
                var close = new ScheduledClose(poll.Id, poll.TenantId, closesAt);
                db.ScheduledCloses.Add(close);
                closes.Watch(close);
            }
            return opened;
        }, snapshot => new PollOpened(snapshot));
        MapTransition(routes, "close", "closePoll", "Close an open poll",
            "Editors and admins. No instance acknowledges another vote once this answers; the results are recounted and marked final.",
            (poll, now, _, _) => poll.Close(now), snapshot => new PollClosed(snapshot));
    }

    private static void MapTransition(
        IEndpointRouteBuilder routes, string action, string operationId, string summary, string description,
        Func<Poll, DateTimeOffset, PollsDbContext, ScheduledClosesWatch, PollTransition> transition, Func<PollSnapshot, object> announce) =>
        routes.MapPost($"/{{pollId}}/{action}", async Task<Results<Ok<PollView>, ProblemHttpResult>> (
                string pollId, HttpContext http, PollsDbContext db, ScheduledClosesWatch closes, PollMutation mutation) =>
            {
                var (poll, refusal) = await mutation.LoadAsync(http, pollId);
                if (poll is null)
                {
                    return refusal!;
                }
                if (transition(poll, mutation.Now, db, closes) is { Succeeded: false } refused)
                {
                    return ApiProblem.Conflict(ProblemCodes.InvalidTransition, refused.Reason!);
                }
                if (await mutation.SaveAsync(http, announce(poll.Snapshot())) is { } failed)
                {
                    return failed;
                }
                return mutation.Tagged(http, poll);
            })
            .RequireAuthorization(AccessPolicies.Editor)
            .WithSummary(summary)
            .WithName(operationId)
            .SendsEntityTag()
            .WithDescription(description)
            .Produces<PollView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
}
