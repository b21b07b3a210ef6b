namespace Polls.Features;

/// <summary>The problem codes only Polls answers (API.md).</summary>
internal static class PollProblemCodes
{
    public const string PollNotDraft = "poll_not_draft";
}
