using Polls.Contracts;

namespace Polls.Domain;

internal static class PollSnapshots
{
    /// <summary>The poll as its events describe it. The stored status, not the time-derived one: subscribers apply the clock themselves.</summary>
    public static PollSnapshot Snapshot(this Poll poll) => new(
        poll.Id, poll.TenantId, poll.Version, poll.Question, poll.Description,
        poll.Options.OrderBy(o => o.Position).Select(o => new PollOptionSnapshot(o.Id, o.Text)).ToList(),
        poll.MinChoices, poll.MaxChoices, poll.OpensAt, poll.ClosesAt, poll.ResultsVisibility, poll.DuplicateCheck,
        poll.Status, poll.ArchivedAt is not null);
}
