namespace Polls.Contracts;

/// <summary>
/// Everything other modules may know about a poll, as of one version. Every poll event carries the whole
/// snapshot, so a subscriber keeps a correct copy by applying the highest version it has seen, in any order.
/// </summary>
public sealed record PollSnapshot(
    Guid PollId,
    Guid TenantId,
    int Version,
    string Question,
    string? Description,
    IReadOnlyList<PollOptionSnapshot> Options,
    int MinChoices,
    int MaxChoices,
    DateTimeOffset? OpensAt,
    DateTimeOffset? ClosesAt,
    ResultsVisibility ResultsVisibility,
    DuplicateCheck DuplicateCheck,
    PollStatus Status,
    bool Archived);

public sealed record PollOptionSnapshot(Guid Id, string Text);

public sealed record PollCreated(PollSnapshot Poll);

public sealed record PollUpdated(PollSnapshot Poll);

public sealed record PollOpened(PollSnapshot Poll);

public sealed record PollClosed(PollSnapshot Poll);

public sealed record PollArchived(PollSnapshot Poll);
