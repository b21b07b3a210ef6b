using Polls.Contracts;
using Shared.Data;

namespace Polls.Domain;

/// <summary>
/// A question with options, owned by a tenant. It moves draft → open → closed, only a draft can be edited,
/// and archiving removes it from every view whatever its status.
/// </summary>
internal sealed class Poll : ITimeOrdered
{
    private readonly List<PollOption> _options = [];

    public Guid Id { get; private set; }
    public Guid TenantId { get; private set; }
    public string Question { get; private set; } = "";
    public string? Description { get; private set; }
    public IReadOnlyList<PollOption> Options => _options;
    public int MinChoices { get; private set; }
    public int MaxChoices { get; private set; }
    public DateTimeOffset? OpensAt { get; private set; }
    public DateTimeOffset? ClosesAt { get; private set; }
    public ResultsVisibility ResultsVisibility { get; private set; }
    public DuplicateCheck DuplicateCheck { get; private set; }
    public PollStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public DateTimeOffset? ArchivedAt { get; private set; }

    /// <summary>Bumped by every change; the store refuses a write based on an older version.</summary>
    public int Version { get; private set; }

    private Poll()
    {
    }

    /// <summary>A new draft. The draft must already have passed <see cref="PollRules.Check"/>.</summary>
    public static Poll Create(Guid tenantId, PollDraft draft, DateTimeOffset now)
    {
        var poll = new Poll { Id = Guid.CreateVersion7(now), TenantId = tenantId, Status = PollStatus.Draft, CreatedAt = now };
        poll.Apply(draft, now);
        return poll;
    }

    public PollDraft ToDraft() => new(
        Question, Description, _options.Select(o => o.Text).ToList(), MinChoices, MaxChoices,
        OpensAt, ClosesAt, ResultsVisibility, DuplicateCheck);

    /// <summary>Replaces the definition of a draft. Options are replaced only when their texts changed, so ids stay stable.</summary>
    public bool Edit(PollDraft draft, DateTimeOffset now)
    {
        if (Status != PollStatus.Draft)
        {
            return false;
        }
        Apply(draft, now);
        return true;
    }

    /// <summary>What the poll is at <paramref name="now"/>: an open poll whose closing time has passed is closed.</summary>
    public PollStatus StatusAt(DateTimeOffset now) =>
        Status == PollStatus.Open && ClosesAt <= now ? PollStatus.Closed : Status;

    public PollTransition Open(DateTimeOffset now)
    {
        if (Status != PollStatus.Draft)
        {
            return PollTransition.Refused($"A poll that is {StatusAt(now).ToString().ToLowerInvariant()} cannot be opened.");
        }
        if (ClosesAt <= now)
        {
            return PollTransition.Refused("The poll's closing time has passed; edit closesAt first.");
        }
        return Move(PollStatus.Open, now);
    }

    public PollTransition Close(DateTimeOffset now) =>
        StatusAt(now) == PollStatus.Open
            ? Move(PollStatus.Closed, now)
            : PollTransition.Refused($"A poll that is {StatusAt(now).ToString().ToLowerInvariant()} cannot be closed.");

    /// <summary>Stores the closing that <see cref="StatusAt"/> already shows once closesAt has passed. False if there is nothing to do.</summary>
    public bool CloseOnSchedule(DateTimeOffset now)
    {
        if (Status != PollStatus.Open || !(ClosesAt <= now))
        {
            return false;
        }
        Move(PollStatus.Closed, now);
        return true;
    }

    public void Archive(DateTimeOffset now)
    {
        ArchivedAt = now;
        Touch(now);
    }

    private PollTransition Move(PollStatus status, DateTimeOffset now)
    {
        Status = status;
        Touch(now);
        return PollTransition.Done;
    }

    private void Apply(PollDraft draft, DateTimeOffset now)
    {
        Question = draft.Question.Trim();
        Description = string.IsNullOrWhiteSpace(draft.Description) ? null : draft.Description.Trim();
        if (!_options.Select(o => o.Text).SequenceEqual(draft.Options.Select(t => t.Trim())))
        {
            _options.Clear();
            _options.AddRange(draft.Options.Select((text, i) => PollOption.Create(TenantId, i, text, now)));
        }
        MinChoices = draft.MinChoices;
        MaxChoices = draft.MaxChoices;
        OpensAt = draft.OpensAt;
        ClosesAt = draft.ClosesAt;
        ResultsVisibility = draft.ResultsVisibility;
        DuplicateCheck = draft.DuplicateCheck;
        Touch(now);
    }

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        Version++;
    }
}

/// <summary>The outcome of asking a poll to change status.</summary>
internal sealed record PollTransition(bool Succeeded, string? Reason)
{
    public static readonly PollTransition Done = new(true, null);

    public static PollTransition Refused(string reason) => new(false, reason);
}
