using Polls.Contracts;
using Votes.Domain;

namespace UnitTests;

public sealed class PollReplicaTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static PollSnapshot Snapshot(int version, PollStatus status, DateTimeOffset? closesAt = null, bool archived = false) =>
        new(Guid.Empty, Guid.Empty, version, $"v{version}", null, [new(Guid.Empty, "A")], 1, 1, null, closesAt,
            ResultsVisibility.Always, DuplicateCheck.None, status, archived);

    [Fact]
    public void The_highest_version_wins_whatever_the_order_events_arrive_in()
    {
        var replica = PollReplica.From(Snapshot(3, PollStatus.Closed));
        Assert.False(replica.Apply(Snapshot(2, PollStatus.Open)));
        Assert.False(replica.Apply(Snapshot(3, PollStatus.Open)));
        Assert.Equal(PollStatus.Closed, replica.Status);
        Assert.True(replica.Apply(Snapshot(4, PollStatus.Closed, archived: true)));
        Assert.False(replica.IsPublished);
    }

    [Fact]
    public void Votes_are_accepted_only_while_open_and_before_the_closing_time()
    {
        var replica = PollReplica.From(Snapshot(2, PollStatus.Open, closesAt: Now));
        Assert.True(replica.AcceptsVotesAt(Now.AddTicks(-1)));
        Assert.False(replica.AcceptsVotesAt(Now));
        Assert.True(replica.IsClosedAt(Now));
        Assert.False(PollReplica.From(Snapshot(1, PollStatus.Draft)).IsPublished);
    }
}
