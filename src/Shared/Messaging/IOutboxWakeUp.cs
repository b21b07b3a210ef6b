namespace Shared.Messaging;

/// <summary>
/// For code that writes outbox rows with its own SQL instead of through a DbContext: call it after the commit,
/// naming the shard written to, and that shard's relay wakes as it does for <see cref="OutboxExtensions"/>.
/// </summary>
public interface IOutboxWakeUp
{
    void Committed(string shardId);
}
