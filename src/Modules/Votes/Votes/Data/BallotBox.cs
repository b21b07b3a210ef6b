using Microsoft.EntityFrameworkCore;
using Shared.Data;
using Votes.Domain;

namespace Votes.Data;

/// <summary>Stores a vote and counts it in the same transaction: a committed vote is always counted exactly once.</summary>
internal sealed class BallotBox(VotesDbContext db)
{
    /// <summary>False when the voter had already voted (the unique dedupe key refused the insert).</summary>
    public async Task<bool> TryCastAsync(Vote vote, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Votes.Add(vote);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation(VotesDbContext.Constraints.OneVotePerVoter))
        {
            db.Votes.Entry(vote).State = EntityState.Detached;
            return false;
        }
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO votes.option_tallies (tenant_id, poll_id, option_id, votes)
            SELECT {vote.TenantId}, {vote.PollId}, option_id, 1 FROM unnest({vote.OptionIds}) AS option_id
            ON CONFLICT (poll_id, option_id) DO UPDATE SET votes = option_tallies.votes + 1
            """, cancellationToken);
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO votes.poll_tallies (tenant_id, poll_id, total_votes, last_vote_at)
            VALUES ({vote.TenantId}, {vote.PollId}, 1, {vote.CastAt})
            ON CONFLICT (poll_id) DO UPDATE SET total_votes = poll_tallies.total_votes + 1,
                last_vote_at = GREATEST(poll_tallies.last_vote_at, EXCLUDED.last_vote_at)
            """, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
