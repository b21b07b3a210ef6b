using Polls.Contracts;

namespace Votes.Domain;

/// <summary>
/// Votes' own copy of what it needs to know about a poll, kept from Polls' events. Votes never reads Polls'
/// tables: that is what lets the two run as separate services later.
/// </summary>
internal sealed class PollReplica
{
    public Guid PollId { get; private set; }
    public Guid TenantId { get; private set; }

    /// <summary>The poll version this copy reflects; older events are ignored.</summary>
    public int Version { get; private set; }

    public string Question { get; private set; } = "";
    public string? Description { get; private set; }
    public List<ReplicaOption> Options { get; private set; } = [];
    public int MinChoices { get; private set; }
    public int MaxChoices { get; private set; }
    public DateTimeOffset? OpensAt { get; private set; }
    public DateTimeOffset? ClosesAt { get; private set; }
    public ResultsVisibility ResultsVisibility { get; private set; }
    public DuplicateCheck DuplicateCheck { get; private set; }
    public PollStatus Status { get; private set; }
    public bool Archived { get; private set; }

    /// <summary>Whether the public may see the poll at all: drafts and archived polls are not there.</summary>
    public bool IsPublished => !Archived && Status != PollStatus.Draft;

    public static PollReplica From(PollSnapshot snapshot)
    {
        var replica = new PollReplica { PollId = snapshot.PollId };
        replica.Apply(snapshot);
        return replica;
    }

    /// <summary>Takes the snapshot if it is newer than this copy; false when it is a stale or repeated event.</summary>
    public bool Apply(PollSnapshot snapshot)
    {
        if (snapshot.Version <= Version)
        {
            return false;
        }
        TenantId = snapshot.TenantId;
        Version = snapshot.Version;
        Question = snapshot.Question;
        Description = snapshot.Description;
        Options = snapshot.Options.Select(o => new ReplicaOption { Id = o.Id, Text = o.Text }).ToList();
        MinChoices = snapshot.MinChoices;
        MaxChoices = snapshot.MaxChoices;
        OpensAt = snapshot.OpensAt;
        ClosesAt = snapshot.ClosesAt;
        ResultsVisibility = snapshot.ResultsVisibility;
        DuplicateCheck = snapshot.DuplicateCheck;
        Status = snapshot.Status;
        Archived = snapshot.Archived;
        return true;
    }

    /// <summary>Closed by hand or by its schedule, or archived: no vote can be taken any more, ever.</summary>
    public bool TakesNoMoreVotes => Archived || Status == PollStatus.Closed;

    /// <summary>What the poll is at <paramref name="now"/>: an open poll whose closing time has passed is closed.</summary>
    public PollStatus StatusAt(DateTimeOffset now) => Status == PollStatus.Open && ClosesAt <= now ? PollStatus.Closed : Status;

    /// <summary>Open for votes at <paramref name="now"/>: opened by its owner and inside its time window.</summary>
    public bool AcceptsVotesAt(DateTimeOffset now) => StatusAt(now) == PollStatus.Open && (OpensAt is null || now >= OpensAt);

    /// <summary>Closed, by hand or by its closing time.</summary>
    public bool IsClosedAt(DateTimeOffset now) => StatusAt(now) == PollStatus.Closed;
}

internal sealed class ReplicaOption
{
    public Guid Id { get; set; }
    public string Text { get; set; } = "";
}
