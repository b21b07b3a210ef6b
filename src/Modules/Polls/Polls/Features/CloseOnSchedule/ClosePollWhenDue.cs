using Microsoft.EntityFrameworkCore;
using Polls.Contracts;
using Polls.Data;
using Polls.Domain;
using Shared.Messaging;

namespace Polls.Features.CloseOnSchedule;

/// <summary>Scheduled for a poll's closesAt when it opens: store the closing and tell the other modules.</summary>
internal sealed record ClosePollWhenDue(Guid TenantId, Guid PollId);

internal sealed class ClosePollWhenDueHandler(PollsDbContext db, TimeProvider clock) : IMessageHandler<ClosePollWhenDue>
{
    public async Task HandleAsync(ClosePollWhenDue message, CancellationToken cancellationToken)
    {
        var poll = await db.Polls.SingleOrDefaultAsync(p => p.Id == message.PollId && p.TenantId == message.TenantId, cancellationToken);
        var now = clock.GetUtcNow();
        // Closed by hand, archived or gone meanwhile: nothing left to do.
        if (poll is not null && poll.ArchivedAt is null && poll.CloseOnSchedule(now))
        {
            db.PublishOnCommit(new PollClosed(poll.Snapshot()), now);
        }
    }
}
