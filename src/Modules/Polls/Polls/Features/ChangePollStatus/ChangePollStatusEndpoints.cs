using Identity.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Polls.Data;
using Polls.Domain;
using Shared.Problems;

namespace Polls.Features.ChangePollStatus;

/// <summary><c>draft → open → closed</c>; any other move is <c>409 invalid_transition</c>.</summary>
internal static class ChangePollStatusEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        MapTransition(routes, "open", "Open a draft poll for voting", (poll, now) => poll.Open(now));
        MapTransition(routes, "close", "Close an open poll", (poll, now) => poll.Close(now));
    }

    private static void MapTransition(
        IEndpointRouteBuilder routes, string action, string summary, Func<Poll, DateTimeOffset, PollTransition> transition) =>
        routes.MapPost($"/api/polls/{{pollId}}/{action}",
                (string pollId, HttpContext http, PollsDbContext db, TimeProvider clock) =>
                    PollMutation.RunAsync(http, db, clock, pollId,
                        (poll, now) => transition(poll, now) is { Succeeded: false } refused
                            ? ApiProblem.Conflict(ProblemCodes.InvalidTransition, refused.Reason!)
                            : null,
                        (poll, now) => PollMutation.Tagged(http, poll, now)))
            .RequireAuthorization(AccessPolicies.Editor)
            .WithSummary(summary)
            .Produces<PollView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
}
