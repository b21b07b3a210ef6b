namespace Votes.Data;

/// <summary>
/// A stored vote the tally has not counted yet: written with the vote, in its transaction, and deleted by the
/// transaction that counts it (<see cref="Features.TallyVotes.VoteTally"/>), so each vote is counted exactly once.
/// A queue row, not a message envelope: it holds only what counting needs.
/// </summary>
internal sealed class UncountedVote
{
    public Guid VoteId { get; private set; }
    public Guid TenantId { get; private set; }
    public Guid PollId { get; private set; }
    public Guid[] OptionIds { get; private set; } = [];
    public DateTimeOffset CastAt { get; private set; }
}
