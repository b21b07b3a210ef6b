namespace Shared.Messaging;

/// <summary>
/// The bus between modules, shaped like Wolverine's. Publish, send and schedule are durable: the message is in
/// the outbox when the call returns. Inside a unit of work, use <see cref="OutboxExtensions"/> on the module's
/// DbContext instead, so the message commits or rolls back with the data.
/// </summary>
public interface IMessageBus
{
    /// <summary>An event, to every handler subscribed to its type.</summary>
    Task PublishAsync<TMessage>(TMessage message, CancellationToken cancellationToken = default) where TMessage : class;

    /// <summary>A command, to its one handler.</summary>
    Task SendAsync<TMessage>(TMessage message, CancellationToken cancellationToken = default) where TMessage : class;

    /// <summary>A message delivered at <paramref name="dueAt"/>, by whichever instance is alive then.</summary>
    Task ScheduleAsync<TMessage>(TMessage message, DateTimeOffset dueAt, CancellationToken cancellationToken = default) where TMessage : class;

    /// <summary>
    /// Delivers messages that a unit of work has just committed to every handler now, in this process, and returns
    /// once each handler's transaction has committed: for a route whose answer promises that the other modules have
    /// applied its change. The relay's delivery of the same messages then finds each handler's inbox record and does
    /// nothing again. Throws when a handler fails; the relay retries the message as usual.
    /// </summary>
    Task DeliverNowAsync(IReadOnlyList<PendingMessage> committed, CancellationToken cancellationToken = default);

    /// <summary>In-process request/response for answers needed now. Not durable.</summary>
    Task<TResponse> InvokeAsync<TRequest, TResponse>(TRequest request, CancellationToken cancellationToken = default) where TRequest : class;
}
