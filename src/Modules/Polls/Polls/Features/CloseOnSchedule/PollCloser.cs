using Microsoft.EntityFrameworkCore;
using Polls.Contracts;
using Polls.Data;
using Polls.Domain;
using Shared.Messaging;

namespace Polls.Features.CloseOnSchedule;

/// <summary>
/// Stores a due poll's closing and tells the other modules, once: every instance may try at the same moment, and the
/// poll's version lets one of them win (the others find it changed, or already closed, and do nothing).
/// </summary>
internal sealed class PollCloser(PollsDbContext db, Outbox outbox, TimeProvider clock)
{
    public async Task CloseAsync(ScheduledClose due, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var poll = await db.Polls.SingleOrDefaultAsync(p => p.Id == due.PollId && p.TenantId == due.TenantId, cancellationToken);
        // Closed by hand, archived or gone meanwhile: only the schedule is left to remove.
        if (poll is not null && poll.ArchivedAt is null && poll.CloseOnSchedule(now))
        {
            await outbox.PublishAsync(db, new PollClosed(poll.Snapshot()));
        }
        db.ScheduledCloses.Remove(due);
        try
        {
            await outbox.SaveChangesAsync(db, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another instance stored this close first.
        }
    }
}
