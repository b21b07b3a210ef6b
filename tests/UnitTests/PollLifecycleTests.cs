using Polls.Contracts;
using Polls.Domain;

namespace UnitTests;

public sealed class PollLifecycleTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static PollDraft Draft(DateTimeOffset? closesAt = null) =>
        new("Q?", null, ["A", "B"], 1, 1, null, closesAt, ResultsVisibility.Always, DuplicateCheck.None);

    [Fact]
    public void A_poll_moves_from_draft_to_open_to_closed()
    {
        var poll = Poll.Create(Guid.NewGuid(), Draft(), Now);
        Assert.Equal(PollStatus.Draft, poll.Status);
        Assert.True(poll.Open(Now).Succeeded);
        Assert.Equal(PollStatus.Open, poll.Status);
        Assert.True(poll.Close(Now).Succeeded);
        Assert.Equal(PollStatus.Closed, poll.Status);
    }

    [Fact]
    public void Wrong_transitions_are_refused_and_change_nothing()
    {
        var poll = Poll.Create(Guid.NewGuid(), Draft(), Now);
        Assert.False(poll.Close(Now).Succeeded);
        poll.Open(Now);
        var version = poll.Version;
        Assert.False(poll.Open(Now).Succeeded);
        poll.Close(Now);
        Assert.False(poll.Open(Now).Succeeded);
        Assert.False(poll.Close(Now).Succeeded);
        Assert.Equal(PollStatus.Closed, poll.Status);
        Assert.Equal(version + 1, poll.Version);
    }

    [Fact]
    public void An_open_poll_is_closed_once_its_closing_time_passes()
    {
        var poll = Poll.Create(Guid.NewGuid(), Draft(closesAt: Now.AddMinutes(5)), Now);
        poll.Open(Now);
        Assert.Equal(PollStatus.Open, poll.StatusAt(Now.AddMinutes(5).AddTicks(-1)));
        Assert.Equal(PollStatus.Closed, poll.StatusAt(Now.AddMinutes(5)));
        Assert.False(poll.Close(Now.AddMinutes(6)).Succeeded);
    }

    [Fact]
    public void A_poll_whose_closing_time_has_passed_cannot_be_opened()
    {
        var poll = Poll.Create(Guid.NewGuid(), Draft(closesAt: Now.AddMinutes(1)), Now);
        var refused = poll.Open(Now.AddMinutes(2));
        Assert.False(refused.Succeeded);
        Assert.Contains("closesAt", refused.Reason);
    }

    [Fact]
    public void Only_a_draft_can_be_edited()
    {
        var poll = Poll.Create(Guid.NewGuid(), Draft(), Now);
        Assert.True(poll.Edit(Draft() with { Question = "New?" }, Now));
        Assert.Equal("New?", poll.Question);
        poll.Open(Now);
        Assert.False(poll.Edit(Draft() with { Question = "Later?" }, Now));
        Assert.Equal("New?", poll.Question);
    }

    [Fact]
    public void Editing_keeps_option_ids_unless_the_options_change()
    {
        var poll = Poll.Create(Guid.NewGuid(), Draft(), Now);
        var ids = poll.Options.Select(o => o.Id).ToList();
        poll.Edit(Draft() with { Question = "Other?" }, Now);
        Assert.Equal(ids, poll.Options.Select(o => o.Id));
        poll.Edit(Draft() with { Options = ["A", "C"] }, Now);
        Assert.DoesNotContain(poll.Options, o => ids.Contains(o.Id));
        Assert.Equal(["A", "C"], poll.Options.Select(o => o.Text));
    }
}
