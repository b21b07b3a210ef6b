namespace Shared.Messaging;

/// <summary>
/// For code that writes outbox rows with its own SQL instead of through a DbContext: call it after the commit,
/// and the relays wake as they do for <see cref="OutboxExtensions"/>.
/// </summary>
public interface IOutboxWakeUp
{
    void Committed();
}
