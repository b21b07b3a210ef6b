using Polls.Contracts;
using Polls.Domain;

namespace Polls.Features;

/// <summary>A poll as its tenant's members see it.</summary>
internal sealed record PollView(
    Guid Id,
    string Question,
    string? Description,
    IReadOnlyList<OptionView> Options,
    int MinChoices,
    int MaxChoices,
    DateTimeOffset? OpensAt,
    DateTimeOffset? ClosesAt,
    ResultsVisibility ResultsVisibility,
    DuplicateCheck DuplicateCheck,
    PollStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static PollView Of(Poll poll, DateTimeOffset now) => new(
        poll.Id, poll.Question, poll.Description,
        poll.Options.OrderBy(o => o.Position).Select(o => new OptionView(o.Id, o.Text)).ToList(),
        poll.MinChoices, poll.MaxChoices, poll.OpensAt, poll.ClosesAt, poll.ResultsVisibility, poll.DuplicateCheck,
        poll.StatusAt(now), poll.CreatedAt, poll.UpdatedAt);
}

internal sealed record OptionView(Guid Id, string Text);
