using Identity.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Polls.Contracts;
using Polls.Data;
using Polls.Domain;
using Polls.Features.CloseOnSchedule;
using Shared.Messaging;
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
            (poll, now, db) =>
        {
            var opened = poll.Open(now);
            if (opened.Succeeded && poll.ClosesAt is { } closesAt)
            {
                // The poll closes itself on time, on whichever instance is alive then.
                db.ScheduleOnCommit(new ClosePollWhenDue(poll.TenantId, poll.Id), closesAt, now);
            }
            return opened;
        }, snapshot => new PollOpened(snapshot));
        MapTransition(routes, "close", "closePoll", "Close an open poll",
            "Editors and admins. No instance acknowledges another vote once this answers; the results are recounted and marked final.",
            (poll, now, _) => poll.Close(now), snapshot => new PollClosed(snapshot));
    }

    private static void MapTransition(
        IEndpointRouteBuilder routes, string action, string operationId, string summary, string description,
        Func<Poll, DateTimeOffset, PollsDbContext, PollTransition> transition, Func<PollSnapshot, object> announce) =>
        routes.MapPost($"/api/polls/{{pollId}}/{action}",
                (string pollId, HttpContext http, PollsDbContext db, IMessageBus bus, TimeProvider clock) =>
                    PollMutation.RunAsync(http, db, bus, clock, pollId,
                        (poll, now) => transition(poll, now, db) is { Succeeded: false } refused
                            ? ApiProblem.Conflict(ProblemCodes.InvalidTransition, refused.Reason!)
                            : null,
                        announce,
                        (poll, now) => PollMutation.Tagged(http, poll, now)))
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
