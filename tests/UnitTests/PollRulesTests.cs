using Polls.Contracts;
using Polls.Domain;
using Shared.Validation;

namespace UnitTests;

public sealed class PollRulesTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly PollDraft Valid = new("Q?", null, ["A", "B", "C"], 1, 2, null, null, ResultsVisibility.Always, DuplicateCheck.Ip);

    private static ValidationErrors Check(PollDraft draft)
    {
        var errors = new ValidationErrors();
        PollRules.Check(draft, Now, errors);
        return errors;
    }

    [Fact]
    public void A_valid_draft_passes() => Assert.False(Check(Valid).Any);

    [Theory]
    [InlineData(1)]
    [InlineData(21)]
    public void A_poll_has_two_to_twenty_options(int count) =>
        Assert.True(Check(Valid with { Options = Enumerable.Range(0, count).Select(i => $"O{i}").ToList(), MaxChoices = 1 }).Any);

    [Fact]
    public void Options_may_not_repeat_ignoring_case() => Assert.True(Check(Valid with { Options = ["Yes", "yes "] }).Any);

    [Fact]
    public void Blank_or_long_texts_are_refused()
    {
        Assert.True(Check(Valid with { Question = " " }).Any);
        Assert.True(Check(Valid with { Question = new string('q', PollRules.QuestionMaxLength + 1) }).Any);
        Assert.True(Check(Valid with { Options = ["A", new string('o', PollRules.OptionTextMaxLength + 1)] }).Any);
        Assert.True(Check(Valid with { Description = new string('d', PollRules.DescriptionMaxLength + 1) }).Any);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(2, 1)]
    [InlineData(1, 4)]
    public void Choice_limits_must_fit_the_options(int min, int max) =>
        Assert.True(Check(Valid with { MinChoices = min, MaxChoices = max }).Any);

    [Fact]
    public void The_closing_time_must_be_in_the_future_and_after_the_opening_time()
    {
        Assert.True(Check(Valid with { ClosesAt = Now }).Any);
        Assert.True(Check(Valid with { OpensAt = Now.AddHours(2), ClosesAt = Now.AddHours(1) }).Any);
        Assert.False(Check(Valid with { OpensAt = Now.AddHours(1), ClosesAt = Now.AddHours(2) }).Any);
    }
}
