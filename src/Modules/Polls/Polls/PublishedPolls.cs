using Microsoft.EntityFrameworkCore;
using Polls.Contracts;
using Polls.Data;

namespace Polls;

/// <summary>Answers Votes' questions about polls the public may see. Looked up by poll id alone: public routes carry no tenant.</summary>
internal sealed class PublishedPolls(PollsDbContext db, TimeProvider clock) : IPublishedPolls
{
    public async Task<PublishedPoll?> FindAsync(Guid pollId, CancellationToken cancellationToken)
    {
        var poll = await db.Polls.AsNoTracking()
            .SingleOrDefaultAsync(p => p.Id == pollId && p.ArchivedAt == null && p.Status != PollStatus.Draft, cancellationToken);
        if (poll is null)
        {
            return null;
        }
        return new PublishedPoll(
            poll.Id, poll.TenantId, poll.Question, poll.Description,
            poll.Options.OrderBy(o => o.Position).Select(o => new PublishedOption(o.Id, o.Text)).ToList(),
            poll.MinChoices, poll.MaxChoices, poll.OpensAt, poll.ClosesAt, poll.ResultsVisibility, poll.DuplicateCheck,
            poll.StatusAt(clock.GetUtcNow()));
    }
}
