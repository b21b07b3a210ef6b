using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Polls.Contracts;
using Shared.Http;
using Shared.Problems;
using Votes.Data;

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
        routes.MapGet("/api/public/polls/{pollId}", Handle)
            .AllowAnonymous()
            .WithSummary("A poll as voters see it")
            .Produces<PublicPollView>()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<IResult> Handle(string pollId, PublishedPolls published, TimeProvider clock, CancellationToken cancellationToken)
    {
        var poll = await published.FindAsync(pollId, cancellationToken);
        if (poll is null)
        {
            return ApiProblem.NotFound("The poll");
        }
        var view = new PublicPollView(
            poll.PollId, poll.Question, poll.Description, poll.Options.Select(o => new PublicOption(o.Id, o.Text)).ToList(),
            poll.MinChoices, poll.MaxChoices, poll.DuplicateCheck == DuplicateCheck.Voter, poll.ResultsVisibility,
            poll.StatusAt(clock.GetUtcNow()), poll.OpensAt, poll.ClosesAt);
        // Shared caches may hold it briefly: a status change shows within seconds, and the ETag makes revalidation cheap.
        return TaggedJson.Create(view, cacheControl: "public, max-age=2");
    }
}
