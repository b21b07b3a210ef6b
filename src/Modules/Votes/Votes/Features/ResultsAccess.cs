using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Polls.Contracts;
using Shared.Problems;
using Votes.Data;
using Votes.Domain;

namespace Votes.Features;

/// <summary>Who may see a poll's results on the public routes, the one-shot read and the live stream alike.</summary>
internal static class ResultsAccess
{
    /// <summary>Null when the caller may see the results, else the 403 that says when they will be shown.</summary>
    public static async Task<ProblemHttpResult?> RefusalAsync(
        PollReplica poll, string? voterKey, VotesDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var visible = poll.ResultsVisibility switch
        {
            ResultsVisibility.Always => true,
            ResultsVisibility.AfterClose => poll.IsFinalAt(now),
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
