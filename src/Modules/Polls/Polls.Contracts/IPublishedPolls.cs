namespace Polls.Contracts;

/// <summary>
/// What Votes may ask Polls about a poll that the public can see (open or closed, not archived).
/// A stop-gap until Votes keeps its own copy of these rules from Polls' events.
/// </summary>
public interface IPublishedPolls
{
    Task<PublishedPoll?> FindAsync(Guid pollId, CancellationToken cancellationToken);
}

public sealed record PublishedPoll(
    Guid PollId,
    Guid TenantId,
    string Question,
    string? Description,
    IReadOnlyList<PublishedOption> Options,
    int MinChoices,
    int MaxChoices,
    DateTimeOffset? OpensAt,
    DateTimeOffset? ClosesAt,
    ResultsVisibility ResultsVisibility,
    DuplicateCheck DuplicateCheck,
    PollStatus Status)
{
    /// <summary>Open for votes at <paramref name="now"/>: opened by its owner and inside its time window.</summary>
    public bool AcceptsVotesAt(DateTimeOffset now) =>
        Status == PollStatus.Open && (OpensAt is null || now >= OpensAt) && (ClosesAt is null || now < ClosesAt);

    /// <summary>Results are final once the poll is closed, by hand or by its closing time.</summary>
    public bool IsFinalAt(DateTimeOffset now) => Status == PollStatus.Closed || (ClosesAt is not null && now >= ClosesAt);
}

public sealed record PublishedOption(Guid Id, string Text);
