using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using Polls.Contracts;
using Shared.Messaging;
using Votes.Data;
using Votes.Domain;

namespace Votes.Features.ReplicatePolls;

/// <summary>
/// Keeps <see cref="PollReplica"/> up to date from every poll event. Each event carries the whole snapshot, so
/// one rule serves them all: keep the highest version. A concurrent write to the same replica fails the
/// version check and is retried by the bus.
/// </summary>
internal sealed class PollReplicaProjection(VotesDbContext db, HybridCache cache, AfterCommit afterCommit) :
    IMessageHandler<PollCreated>,
    IMessageHandler<PollUpdated>,
    IMessageHandler<PollOpened>,
    IMessageHandler<PollClosed>,
    IMessageHandler<PollArchived>
{
    public Task HandleAsync(PollCreated message, CancellationToken cancellationToken) => ApplyAsync(message.Poll, cancellationToken);

    public Task HandleAsync(PollUpdated message, CancellationToken cancellationToken) => ApplyAsync(message.Poll, cancellationToken);

    public Task HandleAsync(PollOpened message, CancellationToken cancellationToken) => ApplyAsync(message.Poll, cancellationToken);

    public Task HandleAsync(PollClosed message, CancellationToken cancellationToken) => ApplyAsync(message.Poll, cancellationToken);

    public Task HandleAsync(PollArchived message, CancellationToken cancellationToken) => ApplyAsync(message.Poll, cancellationToken);

    private async Task ApplyAsync(PollSnapshot snapshot, CancellationToken cancellationToken)
    {
        var replica = await db.PollReplicas.SingleOrDefaultAsync(r => r.PollId == snapshot.PollId, cancellationToken);
        if (replica is null)
        {
            db.PollReplicas.Add(PollReplica.From(snapshot));
        }
        else
        {
            replica.Apply(snapshot);
        }
        // Once committed, every instance reads the poll afresh (the backplane carries the invalidation to the others).
        afterCommit.Add(() => cache.RemoveByTagAsync(PublishedPolls.TagOf(snapshot.PollId)).AsTask());
    }
}
