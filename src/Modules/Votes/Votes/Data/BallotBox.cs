using Microsoft.EntityFrameworkCore;
using Shared.Data;
using Shared.Messaging;
using Votes.Contracts;
using Votes.Domain;

namespace Votes.Data;

/// <summary>
/// Stores a vote with its <see cref="VoteCast"/> event in one transaction: a committed vote is always counted,
/// and a refused one never is. Counting happens after commit, from the event.
/// </summary>
internal sealed class BallotBox(VotesDbContext db)
{
    /// <summary>False when the voter had already voted (the unique dedupe key refused the insert).</summary>
    public async Task<bool> TryCastAsync(Vote vote, CancellationToken cancellationToken)
    {
        db.Votes.Add(vote);
        db.PublishOnCommit(new VoteCast(vote.Id, vote.TenantId, vote.PollId, vote.OptionIds, vote.CastAt), vote.CastAt);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation(VotesDbContext.Constraints.OneVotePerVoter))
        {
            return false;
        }
    }
}
