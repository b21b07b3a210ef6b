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
    public DateTimeOffset LastVoteAt { get; private set; }
}
