using System.Collections.Concurrent;

namespace Shared.Messaging;

/// <summary>
/// Lets a unit of work wait until this process's handlers have applied the messages it published
/// (<see cref="Outbox.SaveChangesAndWaitAsync"/>). Each stored message goes to one handler, so a message id is awaited once.
/// </summary>
public sealed class AppliedMessages
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _waiting = new();

    internal Wait WaitFor(Guid messageId)
    {
        var applied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[messageId] = applied;
        return new Wait(this, messageId, applied.Task);
    }

    internal void Applied(Guid messageId)
    {
        if (_waiting.TryRemove(messageId, out var applied))
        {
            applied.TrySetResult();
        }
    }

    internal void Failed(Guid messageId, Exception exception)
    {
        if (_waiting.TryRemove(messageId, out var applied))
        {
            applied.TrySetException(exception);
        }
    }

    internal sealed record Wait(AppliedMessages Owner, Guid MessageId, Task Applied) : IDisposable
    {
        public void Dispose() => Owner._waiting.TryRemove(MessageId, out _);
    }
}
