using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;

namespace Bench.WolverineVotes;

/// <summary>Each vote's event, published through Wolverine's outbox in the vote's transaction.</summary>
public sealed record VoteCast(Guid VoteId, Guid PollId, int Option, DateTimeOffset CastAt);

/// <summary>
/// Counts a batch of votes in one transaction (Wolverine's, which also marks the batch handled in its inbox): one
/// upsert per poll and option, as the product's tally does.
/// </summary>
public static class TallyHandler
{
    /// <summary>Milliseconds from each vote's cast to its being counted.</summary>
    public static readonly ConcurrentQueue<double> Lags = new();

    public static async Task Handle(VoteCast[] votes, Ballots db, CancellationToken cancellationToken)
    {
        // In one order, so that batches counted at once do not deadlock on the same counts.
        foreach (var group in votes.GroupBy(v => (v.PollId, v.Option)).OrderBy(g => g.Key.PollId).ThenBy(g => g.Key.Option))
        {
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO bench_wolverine.counts (poll_id, option, votes) VALUES ({group.Key.PollId}, {group.Key.Option}, {group.LongCount()})
                ON CONFLICT (poll_id, option) DO UPDATE SET votes = counts.votes + EXCLUDED.votes
                """, cancellationToken);
        }
        var now = DateTimeOffset.UtcNow;
        foreach (var vote in votes)
        {
            Lags.Enqueue((now - vote.CastAt).TotalMilliseconds);
        }
    }
}
