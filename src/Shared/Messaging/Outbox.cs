using Microsoft.EntityFrameworkCore;
using Shared.Tenancy;
using Wolverine.EntityFrameworkCore.Internals;
using Wolverine.Runtime;

namespace Shared.Messaging;

/// <summary>
/// A unit of work's side of the bus: a message published here is stored in the same transaction as the module's
/// changes (Wolverine's outbox on the tenant's shard) and handed to its handlers only once that commits. In a
/// message handler it joins the handler's transaction; in a request it starts its own on the module's DbContext.
/// One per scope, for one DbContext.
/// </summary>
public sealed class Outbox(IWolverineRuntime runtime, TenantScope tenant, AppliedMessages applied) : IDisposable
{
    private MessageContext? _context;
    private List<AppliedMessages.Wait> _waits = [];

    /// <summary>Stores <paramref name="message"/> with <paramref name="db"/>'s pending changes, for every module that handles it.</summary>
    public async Task PublishAsync(DbContext db, object message)
    {
        var context = _context ??= await EnlistAsync(db);
        await context.PublishAsync(message, MessageTenancy.For(tenant.Required));
    }

    /// <summary>
    /// Saves the unit of work with its messages, commits, and hands the messages to their handlers in this process;
    /// <see cref="AppliedAsync"/> then waits for them.
    /// </summary>
    public async Task SaveChangesAsync(DbContext db, CancellationToken cancellationToken)
    {
        _waits = _context?.Outstanding.Select(envelope => applied.WaitFor(envelope.Id)).ToList() ?? [];
        await db.SaveChangesAsync(cancellationToken);
        if (db.Database.CurrentTransaction is { } transaction)
        {
            await transaction.CommitAsync(cancellationToken);
        }
        if (_context is not null)
        {
            await _context.FlushOutgoingMessagesAsync();
        }
    }

    /// <summary>
    /// Waits until every handler of the messages saved has committed, for a route whose answer promises that the other
    /// modules have applied its change. Throws <see cref="TimeoutException"/> after <paramref name="patience"/>, or a
    /// handler's failure: the messages are stored either way, and their retries go on.
    /// </summary>
    public Task AppliedAsync(TimeSpan patience, CancellationToken cancellationToken) =>
        Task.WhenAll(_waits.Select(w => w.Applied)).WaitAsync(patience, cancellationToken);

    public void Dispose() => _waits.ForEach(w => w.Dispose());

    /// <summary>In a handler: messages join the handler's transaction, and go out when it commits.</summary>
    internal void Join(MessageContext handling) => _context = handling;

    private async Task<MessageContext> EnlistAsync(DbContext db)
    {
        var context = new MessageContext(runtime, tenant.Required.ShardId);
        await context.EnlistInOutboxAsync(new EfCoreEnvelopeTransaction(db, context));
        return context;
    }
}
