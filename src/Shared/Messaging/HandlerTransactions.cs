using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shared.Tenancy;
using Wolverine.EntityFrameworkCore.Internals;
using Wolverine.Runtime;

namespace Shared.Messaging;

/// <summary>
/// Runs a module's handling of one message the way Wolverine's EF Core transaction middleware does (one transaction
/// on the module's DbContext; the inbox marks the message handled in it, so a redelivery does nothing; messages it
/// publishes go out on commit), but in a scope bound to the message's tenant first: the module's DbContext reaches
/// the tenant's shard through that binding, which Wolverine's generated code cannot make before it builds the context.
/// </summary>
public sealed class HandlerTransactions(TenantScopes scopes, AppliedMessages applied)
{
    public async Task RunAsync<TContext, THandler>(MessageContext handling, Func<THandler, CancellationToken, Task> handle, CancellationToken cancellationToken)
        where TContext : DbContext
        where THandler : notnull
    {
        var envelope = handling.Envelope ?? throw new InvalidOperationException("Only a message being handled has a transaction.");
        try
        {
            await scopes.RunAsync(MessageTenancy.Of(envelope), services => RunInScopeAsync<TContext, THandler>(services, handling, handle, cancellationToken));
        }
        catch (Exception e)
        {
            applied.Failed(envelope.Id, e);
            throw;
        }
        applied.Applied(envelope.Id);
    }

    private static async Task RunInScopeAsync<TContext, THandler>(
        IServiceProvider services, MessageContext handling, Func<THandler, CancellationToken, Task> handle, CancellationToken cancellationToken)
        where TContext : DbContext
        where THandler : notnull
    {
        var db = services.GetRequiredService<TContext>();
        var transaction = new EfCoreEnvelopeTransaction(db, handling);
        await handling.EnlistInOutboxAsync(transaction);
        services.GetRequiredService<Outbox>().Join(handling);
        await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await handle(services.GetRequiredService<THandler>(), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch
        {
            await transaction.RollbackAsync();
            throw;
        }
        await services.GetRequiredService<AfterCommit>().RunAsync();
    }
}
