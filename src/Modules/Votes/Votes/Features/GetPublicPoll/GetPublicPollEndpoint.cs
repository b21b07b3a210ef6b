using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Polls.Contracts;
using Shared.Http;
using Shared.Problems;
using Shared.OpenApi;

namespace Votes.Features.GetPublicPoll;

/// <summary>A poll as voters see it: what to answer and how, without the tenant's own settings.</summary>
internal sealed record PublicPollView(
    Guid Id,
    string Question,
    string? Description,
    IReadOnlyList<PublicOption> Options,
    int MinChoices,
    int MaxChoices,
    bool VoterKeyRequired,
    ResultsVisibility ResultsVisibility,
    PollStatus Status,
    DateTimeOffset? OpensAt,
    DateTimeOffset? ClosesAt);

internal sealed record PublicOption(Guid Id, string Text);

internal static class GetPublicPollEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/{pollId}", Handle)
            .AllowAnonymous()
            .WithSummary("A poll as voters see it")
            .WithName("getPublicPoll")
            .SendsEntityTag()
            .WithDescription("No credentials: what an embed shows. Drafts and archived polls are 404. The ETag makes a revalidation with If-None-Match a 304.")
            .Produces<PublicPollView>()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<Results<TaggedJson, ProblemHttpResult>> Handle(string pollId, PublishedPolls published, TimeProvider clock, CancellationToken cancellationToken)
    {
        var poll = await published.FindAsync(pollId, cancellationToken);
        if (poll is null)
        {
            return ApiProblem.NotFound("The poll");
        }
        // Shared caches may hold it briefly: a status change shows within seconds, and the ETag makes revalidation cheap.
        return TaggedJson.Of(PublicPollViews.Of(poll, clock.GetUtcNow()), cacheControl: "public, max-age=2");
    }
}
