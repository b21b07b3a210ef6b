using System.Net;
using Polls.Contracts;
using Shared.Validation;
using Votes.Domain;

namespace UnitTests;

public sealed class BallotRulesTests
{
    private static readonly PollOptionSnapshot[] Options = [new(Guid.NewGuid(), "A"), new(Guid.NewGuid(), "B"), new(Guid.NewGuid(), "C")];

    private static PollReplica Poll(int min = 1, int max = 2, DuplicateCheck check = DuplicateCheck.Voter) =>
        PollReplica.From(new PollSnapshot(Guid.NewGuid(), Guid.NewGuid(), 1, "Q?", null, Options, min, max, null, null,
            ResultsVisibility.Always, check, PollStatus.Open, Archived: false));

    private static ValidationErrors Check(PollReplica poll, Guid[]? optionIds, string? voterKey = "voter")
    {
        var errors = new ValidationErrors();
        BallotRules.Check(poll, optionIds, voterKey, errors);
        return errors;
    }

    [Fact]
    public void A_ballot_within_the_rules_passes() => Assert.False(Check(Poll(), [Options[0].Id, Options[2].Id]).Any);

    [Fact]
    public void Empty_repeated_or_unknown_choices_are_refused()
    {
        Assert.True(Check(Poll(), null).Any);
        Assert.True(Check(Poll(), []).Any);
        Assert.True(Check(Poll(), [Options[0].Id, Options[0].Id]).Any);
        Assert.True(Check(Poll(), [Guid.NewGuid()]).Any);
    }

    [Fact]
    public void The_number_of_choices_must_be_within_the_polls_limits()
    {
        Assert.True(Check(Poll(min: 2, max: 2), [Options[0].Id]).Any);
        Assert.True(Check(Poll(min: 1, max: 2), [Options[0].Id, Options[1].Id, Options[2].Id]).Any);
    }

    [Fact]
    public void A_voter_key_is_required_only_by_the_voter_check_and_is_bounded()
    {
        Assert.True(Check(Poll(check: DuplicateCheck.Voter), [Options[0].Id], voterKey: null).Any);
        Assert.False(Check(Poll(check: DuplicateCheck.Ip), [Options[0].Id], voterKey: null).Any);
        Assert.True(Check(Poll(), [Options[0].Id], voterKey: new string('k', Vote.VoterKeyMaxLength + 1)).Any);
        Assert.True(Check(Poll(), [Options[0].Id], voterKey: "").Any);
    }

    [Fact]
    public void The_dedupe_key_follows_the_polls_duplicate_check()
    {
        var address = IPAddress.Parse("203.0.113.7");
        Assert.Equal("voter:abc", BallotRules.DedupeKey(DuplicateCheck.Voter, "abc", address));
        Assert.Equal("ip:203.0.113.7", BallotRules.DedupeKey(DuplicateCheck.Ip, "abc", address));
        Assert.Null(BallotRules.DedupeKey(DuplicateCheck.None, "abc", address));
    }
}
