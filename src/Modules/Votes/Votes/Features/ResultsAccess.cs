using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Polls.Contracts;
using Shared.Problems;
using Votes.Contracts;
using Votes.Data;
using Votes.Domain;

namespace Votes.Features;

/// <summary>Who may see a poll's results on the public routes, the one-shot read and the live stream alike.</summary>
internal static class ResultsAccess
{
    /// <summary>
    /// The published poll a public results route names, if the caller may see its results; otherwise the 404 or
    /// the 403 that says when they will be shown.
    /// </summary>
    public static async Task<(PollReplica? Poll, ProblemHttpResult? Refusal)> FindVisibleAsync(
        PublishedPolls published, VotesDbContext db, string routeId, string? voterKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var poll = await published.FindAsync(routeId, cancellationToken);
        if (poll is null)
        {
            return (null, ApiProblem.NotFound("The poll"));
        }
        var refusal = await RefusalAsync(poll, voterKey, db, now, cancellationToken);
        return refusal is null ? (poll, null) : (null, refusal);
    }

    /// <summary>The poll's results, counted by <see cref="IPollResults"/>.</summary>
    public static Task<PollResultsView> CountAsync(this IPollResults results, PollReplica poll, CancellationToken cancellationToken) =>
        results.CountAsync(poll.TenantId, poll.PollId, poll.Options.Select(o => (o.Id, o.Text)).ToList(), cancellationToken);

    private static async Task<ProblemHttpResult?> RefusalAsync(
        PollReplica poll, string? voterKey, VotesDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var visible = poll.ResultsVisibility switch
        {
            ResultsVisibility.Always => true,
            ResultsVisibility.AfterClose => poll.IsClosedAt(now),
            ResultsVisibility.AfterVote => !string.IsNullOrEmpty(voterKey)
                && await db.Votes.AnyAsync(v => v.TenantId == poll.TenantId && v.PollId == poll.PollId && v.VoterKey == voterKey, cancellationToken),
            _ => false,
        };
        return visible
            ? null
            : ApiProblem.Create(StatusCodes.Status403Forbidden, ProblemCodes.ResultsHidden, "Results hidden",
                $"This poll shows its results {Describe(poll.ResultsVisibility)}.");
    }

    private static string Describe(ResultsVisibility visibility) => visibility switch
    {
        ResultsVisibility.AfterVote => "to those who have voted (pass your voterKey)",
        ResultsVisibility.AfterClose => "once it has closed",
        _ => "to its owners only",
    };
}
