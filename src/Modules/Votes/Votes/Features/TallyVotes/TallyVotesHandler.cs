using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using Shared.Messaging;
using Votes.Contracts;
using Votes.Data;
using Votes.Features.GetPublicResults;

namespace Votes.Features.TallyVotes;

/// <summary>
/// Counts votes from <see cref="VoteCast"/> events, a relay batch at a time: one upsert per (poll, option) and
/// one per poll for the whole batch, instead of a write per vote on the hottest rows in the database.
/// The inbox has already dropped events this handler saw before, so each vote is counted exactly once.
/// </summary>
internal sealed class TallyVotesHandler(VotesDbContext db, HybridCache cache, AfterCommit afterCommit) : IBatchMessageHandler<VoteCast>
{
    public async Task HandleAsync(IReadOnlyList<VoteCast> messages, CancellationToken cancellationToken)
    {
        // Once the new counts have committed, every instance counts each poll of the batch afresh, once.
        foreach (var pollId in messages.Select(m => m.PollId).Distinct())
        {
            afterCommit.Add(() => cache.RemoveByTagAsync(PublicResults.TagOf(pollId)).AsTask());
        }
        Guid[] tenants = [.. messages.Select(m => m.TenantId)], polls = [.. messages.Select(m => m.PollId)];
        DateTimeOffset[] castAt = [.. messages.Select(m => m.CastAt)];
        var choices = messages.SelectMany(m => m.OptionIds.Select(option => (m.TenantId, m.PollId, option))).ToList();
        Guid[] choiceTenants = [.. choices.Select(c => c.TenantId)], choicePolls = [.. choices.Select(c => c.PollId)], choiceOptions = [.. choices.Select(c => c.option)];
        // The poll rows first, then the option rows of just the polls that are not final yet (a final poll's counts
        // already hold every vote: see FinalTally). ORDER BY gives every instance the same lock order on tally rows,
        // so concurrent batches do not deadlock.
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            WITH counted AS (
                INSERT INTO votes.poll_tallies (tenant_id, poll_id, total_votes, last_vote_at)
                SELECT tenant_id, poll_id, count(*), max(cast_at) FROM unnest({tenants}, {polls}, {castAt}) AS v(tenant_id, poll_id, cast_at)
                GROUP BY tenant_id, poll_id ORDER BY poll_id
                ON CONFLICT (poll_id) DO UPDATE SET total_votes = poll_tallies.total_votes + EXCLUDED.total_votes,
                    last_vote_at = GREATEST(poll_tallies.last_vote_at, EXCLUDED.last_vote_at)
                WHERE NOT poll_tallies.final
                RETURNING poll_id)
            INSERT INTO votes.option_tallies (tenant_id, poll_id, option_id, votes)
            SELECT tenant_id, poll_id, option_id, count(*) FROM unnest({choiceTenants}, {choicePolls}, {choiceOptions}) AS c(tenant_id, poll_id, option_id)
            WHERE poll_id IN (SELECT poll_id FROM counted)
            GROUP BY tenant_id, poll_id, option_id ORDER BY poll_id, option_id
            ON CONFLICT (poll_id, option_id) DO UPDATE SET votes = option_tallies.votes + EXCLUDED.votes
            """, cancellationToken);
    }
}
