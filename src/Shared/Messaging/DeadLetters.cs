namespace Shared.Messaging;

/// <summary>The operator's view of messages that exhausted their retries, on every shard.</summary>
public sealed class DeadLetters
{
    private readonly OutboxShards _outboxes;

    internal DeadLetters(OutboxShards outboxes) => _outboxes = outboxes;

    /// <summary>Newest first, after the id <paramref name="after"/> when paging: each shard's page, merged.</summary>
    public async Task<List<DeadLetter>> ListAsync(int limit, Guid? after, CancellationToken cancellationToken)
    {
        var pages = await Task.WhenAll(_outboxes.ShardIds.Select(shard => _outboxes.Store(shard).DeadLettersAsync(limit, after, cancellationToken)));
        return [.. pages.SelectMany(page => page).OrderByDescending(d => d.Id).Take(limit)];
    }

    /// <summary>Puts the message back in its shard's outbox for a fresh round of attempts; false if there is no such dead letter.</summary>
    public async Task<bool> ReplayAsync(Guid id, CancellationToken cancellationToken)
    {
        foreach (var shard in _outboxes.ShardIds)
        {
            if (await _outboxes.Store(shard).ReplayAsync(id, cancellationToken))
            {
                return true;
            }
        }
        return false;
    }
}
