using Microsoft.EntityFrameworkCore;

namespace Shared.Messaging;

/// <summary>
/// The unit-of-work side of the bus: messages added here are written by the DbContext's next SaveChanges, in the
/// same transaction as the data, and delivered only if it commits. The context's model must call
/// <see cref="OutboxModel.MapOutbox"/>.
/// </summary>
public static class OutboxExtensions
{
    /// <returns>The message as stored, for <see cref="IMessageBus.DeliverNowAsync"/> once the change has committed.</returns>
    public static PendingMessage PublishOnCommit(this DbContext db, object message, DateTimeOffset now)
    {
        var envelope = Envelope(message, now, now);
        db.Set<OutboxMessage>().Add(envelope);
        return new PendingMessage(envelope.Id, message);
    }

    public static void ScheduleOnCommit(this DbContext db, object message, DateTimeOffset dueAt, DateTimeOffset now) =>
        db.Set<OutboxMessage>().Add(Envelope(message, dueAt, now));

    internal static OutboxMessage Envelope(object message, DateTimeOffset dueAt, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        MessageType = MessageRegistry.NameOf(message.GetType()),
        Payload = MessageRegistry.Serialize(message),
        CreatedAt = now,
        DueAt = dueAt,
    };
}

/// <summary>A message a unit of work stored in its outbox, known by the id its handlers' inbox records it under.</summary>
public sealed record PendingMessage(Guid Id, object Message);
