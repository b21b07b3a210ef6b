namespace Votes.Domain;

/// <summary>The running count of ballots for one option.</summary>
internal sealed class OptionTally
{
    public Guid TenantId { get; private set; }
    public Guid PollId { get; private set; }
    public Guid OptionId { get; private set; }
    public long Votes { get; private set; }
}

/// <summary>The running count of ballots for a poll, and when the last one was cast.</summary>
internal sealed class PollTally
{
    public Guid TenantId { get; private set; }
    public Guid PollId { get; private set; }
    public long TotalVotes { get; private set; }

    /// <summary>Null for a poll that closed without a vote.</summary>
    public DateTimeOffset? LastVoteAt { get; private set; }

    /// <summary>
    /// Set once the poll can take no more votes and its counts were made from the stored votes themselves; from
    /// then on the counts never change (see <see cref="Features.ReplicatePolls.FinalTally"/>).
    /// </summary>
    public bool Final { get; private set; }
}
