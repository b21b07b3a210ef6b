using Identity.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Polls.Contracts;
using Polls.Domain;

namespace Polls.Features.ArchivePoll;

internal static class ArchivePollEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapDelete("/{pollId}", Handle)
            .RequireAuthorization(AccessPolicies.Editor)
            .WithSummary("Archive a poll: it leaves every list and public route")
            .WithName("archivePoll")
            .WithDescription("Editors and admins. The poll and its votes are kept, but it no longer appears in lists or on public routes, on every instance once this answers; archiving again is 204 too.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

    private static async Task<Results<NoContent, ProblemHttpResult>> Handle(string pollId, HttpContext http, PollMutation mutation)
    {
        var (poll, refusal) = await mutation.LoadAsync(http, pollId);
        if (poll is null)
        {
            return refusal!;
        }
        poll.Archive(mutation.Now);
        if (await mutation.SaveAsync(http, new PollArchived(poll.Snapshot())) is { } failed)
        {
            return failed;
        }
        return TypedResults.NoContent();
    }
}
