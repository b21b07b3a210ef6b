using Polls.Contracts;
using Shared.Messaging;
using Votes.Data;
using Wolverine.Runtime;

namespace Votes.Features.ReplicatePolls;

/// <summary>Wolverine's entry to <see cref="PollReplicaProjection"/>: every poll event, in a transaction on the Votes context.</summary>
public static class ReplicatePollsHandler
{
    public static Task Handle(PollCreated message, HandlerTransactions transactions, MessageContext context, CancellationToken cancellationToken) =>
        Apply(message.Poll, transactions, context, cancellationToken);

    public static Task Handle(PollUpdated message, HandlerTransactions transactions, MessageContext context, CancellationToken cancellationToken) =>
        Apply(message.Poll, transactions, context, cancellationToken);

    public static Task Handle(PollOpened message, HandlerTransactions transactions, MessageContext context, CancellationToken cancellationToken) =>
        Apply(message.Poll, transactions, context, cancellationToken);

    public static Task Handle(PollClosed message, HandlerTransactions transactions, MessageContext context, CancellationToken cancellationToken) =>
        Apply(message.Poll, transactions, context, cancellationToken);

    public static Task Handle(PollArchived message, HandlerTransactions transactions, MessageContext context, CancellationToken cancellationToken) =>
        Apply(message.Poll, transactions, context, cancellationToken);

    private static Task Apply(PollSnapshot snapshot, HandlerTransactions transactions, MessageContext context, CancellationToken cancellationToken) =>
        transactions.RunAsync<VotesDbContext, PollReplicaProjection>(context, (projection, ct) => projection.ApplyAsync(snapshot, ct), cancellationToken);
}
