using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Shared.Http;
using Votes.Contracts;
using Votes.Data;
using Shared.OpenApi;

namespace Votes.Features.GetPublicResults;

internal static class GetPublicResultsEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/{pollId}/results", Handle)
            .AllowAnonymous()
            .WithSummary("A poll's results, when its visibility allows")
            .WithName("getPublicResults")
            .SendsEntityTag()
            .WithDescription("For resultsVisibility after_vote, pass the voterKey that voted.")
            .Produces<PollResultsView>()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<Results<TaggedJson, ProblemHttpResult>> Handle(
        string pollId, string? voterKey, PublishedPolls published, VotesDbContext db, PublicResults results, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (poll, refusal) = await ResultsAccess.FindVisibleAsync(published, db, pollId, voterKey, now, cancellationToken);
        if (poll is null)
        {
            return refusal!;
        }
        return TaggedJson.Of(await results.SerializedAsync(poll, cancellationToken), cacheControl: "public, max-age=1");
    }
}
