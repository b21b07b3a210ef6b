namespace Shared.Messaging;

/// <summary>The operator's view of messages that exhausted their retries.</summary>
public sealed class DeadLetters
{
    private readonly OutboxStore _store;

    internal DeadLetters(OutboxStore store) => _store = store;

    /// <summary>Newest first, after the id <paramref name="after"/> when paging.</summary>
    public Task<List<DeadLetter>> ListAsync(int limit, Guid? after, CancellationToken cancellationToken) =>
        _store.DeadLettersAsync(limit, after, cancellationToken);

    /// <summary>Puts the message back in the outbox for a fresh round of attempts; false if there is no such dead letter.</summary>
    public Task<bool> ReplayAsync(Guid id, CancellationToken cancellationToken) => _store.ReplayAsync(id, cancellationToken);
}
