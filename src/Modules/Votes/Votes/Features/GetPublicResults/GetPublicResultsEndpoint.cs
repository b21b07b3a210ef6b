using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Polls.Contracts;
using Shared.Http;
using Shared.Problems;
using Votes.Contracts;
using Votes.Data;

namespace Votes.Features.GetPublicResults;

internal static class GetPublicResultsEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/public/polls/{pollId}/results", Handle)
            .AllowAnonymous()
            .WithSummary("A poll's results, when its visibility allows")
            .WithDescription("For resultsVisibility after_vote, pass the voterKey that voted.")
            .Produces<PollResultsView>()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<IResult> Handle(
        string pollId, string? voterKey, IPollResults results, VotesDbContext db, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var poll = await db.PollReplicas.FindPublishedAsync(pollId, cancellationToken);
        if (poll is null)
        {
            return ApiProblem.NotFound("The poll");
        }
        var now = clock.GetUtcNow();
        var final = poll.IsFinalAt(now);
        var visible = poll.ResultsVisibility switch
        {
            ResultsVisibility.Always => true,
            ResultsVisibility.AfterClose => final,
            ResultsVisibility.AfterVote => !string.IsNullOrEmpty(voterKey)
                && await db.Votes.AnyAsync(v => v.TenantId == poll.TenantId && v.PollId == poll.PollId && v.VoterKey == voterKey, cancellationToken),
            _ => false,
        };
        if (!visible)
        {
            return ApiProblem.Create(StatusCodes.Status403Forbidden, ProblemCodes.ResultsHidden, "Results hidden",
                $"This poll shows its results {Describe(poll.ResultsVisibility)}.");
        }
        var options = poll.Options.Select(o => (o.Id, o.Text)).ToList();
        var view = await results.CountAsync(poll.TenantId, poll.PollId, options, final, cancellationToken);
        return TaggedJson.Create(view, cacheControl: "public, max-age=1");
    }

    private static string Describe(ResultsVisibility visibility) => visibility switch
    {
        ResultsVisibility.AfterVote => "to those who have voted (pass your voterKey)",
        ResultsVisibility.AfterClose => "once it has closed",
        _ => "to its owners only",
    };
}
