using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Shared.Messaging;

/// <summary>Makes handlers effectively-once: a (message id, handler) record in the handler's own transaction.</summary>
internal static class Inbox
{
    /// <summary>
    /// Opens a transaction on the handler's DbContext, records the messages this handler has not seen, runs the
    /// handler on just those, and commits both together. A repeat delivery finds its record and does nothing.
    /// </summary>
    public static async Task RunAsync<TContext>(
        IServiceProvider provider, string handler, IReadOnlyList<(Guid Id, object Message)> messages,
        Func<IReadOnlyList<(Guid Id, object Message)>, Task> handle, CancellationToken cancellationToken)
        where TContext : DbContext
    {
        var db = provider.GetRequiredService<TContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var ids = messages.Select(m => m.Id).ToArray();
        var fresh = await db.Database
            .SqlQuery<Guid>($"""
                INSERT INTO messaging.inbox (message_id, handler, processed_at)
                SELECT id, {handler}, now() FROM unnest({ids}) AS id
                ON CONFLICT DO NOTHING
                RETURNING message_id AS "Value"
                """)
            .ToListAsync(cancellationToken);
        if (fresh.Count > 0)
        {
            var freshIds = fresh.ToHashSet();
            await handle(messages.Where(m => freshIds.Contains(m.Id)).ToList());
            await db.SaveChangesAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        await provider.GetRequiredService<AfterCommit>().RunAsync();
    }
}
