namespace Polls.Contracts;

/// <summary>Where a poll is in its life. Archived polls are not a status: they are gone from every view.</summary>
public enum PollStatus
{
    Draft,
    Open,
    Closed,
}

/// <summary>Who may see a poll's results on the public routes.</summary>
public enum ResultsVisibility
{
    Always,
    AfterVote,
    AfterClose,
    Never,
}

/// <summary>How a poll recognises a second vote from the same person.</summary>
public enum DuplicateCheck
{
    Voter,
    Ip,
    None,
}
