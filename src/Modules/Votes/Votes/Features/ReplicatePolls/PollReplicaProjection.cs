using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using Polls.Contracts;
using Shared.Messaging;
using Votes.Contracts;
using Votes.Data;
using Votes.Domain;
using Votes.Features.GetPublicResults;

namespace Votes.Features.ReplicatePolls;

/// <summary>
/// Keeps <see cref="PollReplica"/> up to date from every poll event. Each event carries the whole snapshot, so
/// one rule serves them all: keep the highest version. A concurrent write to the same replica fails the
/// version check and is retried by the bus. Each change holds the poll's <see cref="PollFence"/>, and a change that
/// ends voting (closed or archived) makes the counts final in the same transaction and publishes them.
/// </summary>
internal sealed class PollReplicaProjection(
    VotesDbContext db, Outbox outbox, HybridCache cache, AfterCommit afterCommit, IPollResults results, TimeProvider clock)
{
    public async Task ApplyAsync(PollSnapshot snapshot, CancellationToken cancellationToken)
    {
        // The poll's fence, held until this commits: votes already past their check commit first, later ones see this change.
        await PollFence.HoldExclusivelyAsync(db, snapshot.PollId, cancellationToken);
        var replica = await db.PollReplicas.SingleOrDefaultAsync(r => r.PollId == snapshot.PollId, cancellationToken);
        var changed = replica is null || replica.Apply(snapshot);
        if (replica is null)
        {
            replica = PollReplica.From(snapshot);
            db.PollReplicas.Add(replica);
        }
        await db.SaveChangesAsync(cancellationToken);
        if (changed && replica.TakesNoMoreVotes)
        {
            // Announced once per poll, by the change that first made its counts final (archiving a closed poll recounts
            // the same votes), whatever order the poll's events arrive in.
            var wasFinal = await db.PollTallies.AnyAsync(t => t.PollId == snapshot.PollId && t.Final, cancellationToken);
            await FinalTally.MakeAsync(db, replica.TenantId, replica.PollId, cancellationToken);
            if (!wasFinal)
            {
                var final = await results.CountAsync(replica.TenantId, replica.PollId, replica.Options.Select(o => (o.Id, o.Text)).ToList(), cancellationToken);
                var now = clock.GetUtcNow();
                await outbox.PublishAsync(db, new PollResultsFinal(replica.TenantId, replica.Question, final, now));
            }
        }
        // Once committed, every instance reads the poll and its results afresh (the backplane carries this to the others).
        afterCommit.Add(() => cache.RemoveByTagAsync([PublishedPolls.TagOf(snapshot.PollId), PublicResults.TagOf(snapshot.PollId)]).AsTask());
    }
}
