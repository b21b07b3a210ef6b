using Polls.Contracts;

namespace Polls.Domain;

/// <summary>Everything an editor decides about a poll, checked as a whole before it is stored.</summary>
internal sealed record PollDraft(
    string Question,
    string? Description,
    IReadOnlyList<string> Options,
    int MinChoices,
    int MaxChoices,
    DateTimeOffset? OpensAt,
    DateTimeOffset? ClosesAt,
    ResultsVisibility ResultsVisibility,
    DuplicateCheck DuplicateCheck);
