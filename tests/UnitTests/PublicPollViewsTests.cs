using System.Text.Json;
using Polls.Contracts;
using Votes.Domain;
using Votes.Features.GetPublicPoll;

namespace UnitTests;

public sealed class PublicPollViewsTests
{
    private static readonly DateTimeOffset ClosesAt = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static PollReplica OpenPoll(int version) => PollReplica.From(new PollSnapshot(Guid.NewGuid(), Guid.Empty, version, $"v{version}", null,
        [new(Guid.NewGuid(), "A")], 1, 1, null, ClosesAt, ResultsVisibility.Always, DuplicateCheck.None, PollStatus.Open, false));

    private static string Status(Shared.Http.SerializedJson view) => JsonDocument.Parse(view.Body).RootElement.GetProperty("status").GetString()!;

    [Fact]
    public void A_copy_of_a_poll_is_serialized_once_until_the_clock_closes_it()
    {
        var poll = OpenPoll(2);
        var before = PublicPollViews.Of(poll, ClosesAt.AddSeconds(-1));
        Assert.Same(before, PublicPollViews.Of(poll, ClosesAt.AddTicks(-1)));
        Assert.Equal("open", Status(before));

        var after = PublicPollViews.Of(poll, ClosesAt);
        Assert.Equal("closed", Status(after));
        Assert.NotEqual(before.Tag, after.Tag);
        Assert.Same(after, PublicPollViews.Of(poll, ClosesAt.AddMinutes(1)));
    }

    [Fact]
    public void Another_copy_gets_a_view_of_its_own()
    {
        var first = PublicPollViews.Of(OpenPoll(2), ClosesAt.AddSeconds(-1));
        var next = OpenPoll(3);
        Assert.NotSame(first, PublicPollViews.Of(next, ClosesAt.AddSeconds(-1)));
        Assert.Equal("v3", JsonDocument.Parse(PublicPollViews.Of(next, ClosesAt.AddSeconds(-1)).Body).RootElement.GetProperty("question").GetString());
    }
}
