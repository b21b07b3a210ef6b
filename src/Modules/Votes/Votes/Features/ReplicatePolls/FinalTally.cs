using Microsoft.EntityFrameworkCore;
using Votes.Data;

namespace Votes.Features.ReplicatePolls;

/// <summary>
/// Makes a poll's counts final once it can take no more votes: recounts them from the stored votes and marks them
/// final, so the results are exact at once instead of when the last <c>VoteCast</c> events have been tallied;
/// <see cref="TallyVotes.TallyVotesHandler"/> leaves a final poll alone, so those events cannot count twice.
/// Runs in the projection's transaction while it holds the poll's fence exclusively, so every vote of the poll has
/// committed and none can follow. The poll's tally row is written first, as the tally handler also writes it first:
/// whichever comes second waits for the other, and the recount overwrites whatever a tally batch added before it.
/// </summary>
internal static class FinalTally
{
    public static async Task MakeAsync(VotesDbContext db, Guid tenantId, Guid pollId, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO votes.poll_tallies (tenant_id, poll_id, total_votes, last_vote_at, final)
            SELECT {tenantId}, {pollId}, count(*), max(cast_at), true FROM votes.votes WHERE tenant_id = {tenantId} AND poll_id = {pollId}
            ON CONFLICT (poll_id) DO UPDATE SET total_votes = EXCLUDED.total_votes, last_vote_at = EXCLUDED.last_vote_at, final = true
            """, cancellationToken);
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO votes.option_tallies (tenant_id, poll_id, option_id, votes)
            SELECT {tenantId}, {pollId}, choice.option_id, count(*)
            FROM votes.votes v CROSS JOIN LATERAL unnest(v.option_ids) AS choice(option_id)
            WHERE v.tenant_id = {tenantId} AND v.poll_id = {pollId}
            GROUP BY choice.option_id ORDER BY choice.option_id
            ON CONFLICT (poll_id, option_id) DO UPDATE SET votes = EXCLUDED.votes
            """, cancellationToken);
    }
}
