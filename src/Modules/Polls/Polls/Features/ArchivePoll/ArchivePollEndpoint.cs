using Identity.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Polls.Contracts;
using Polls.Data;
using Shared.Messaging;

namespace Polls.Features.ArchivePoll;

internal static class ArchivePollEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapDelete("/api/polls/{pollId}", Handle)
            .RequireAuthorization(AccessPolicies.Editor)
            .WithSummary("Archive a poll: it leaves every list and public route")
            .WithName("archivePoll")
            .WithDescription("Editors and admins. The poll and its votes are kept, but it no longer appears in lists or on public routes, on every instance once this answers; archiving again is 204 too.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

    private static Task<IResult> Handle(string pollId, HttpContext http, PollsDbContext db, IMessageBus bus, TimeProvider clock) =>
        PollMutation.RunAsync(http, db, bus, clock, pollId,
            (poll, now) =>
            {
                poll.Archive(now);
                return null;
            },
            snapshot => new PollArchived(snapshot),
            (_, _) => TypedResults.NoContent());
}
