namespace Votes.Features;

/// <summary>The problem codes only Votes answers (API.md).</summary>
internal static class VoteProblemCodes
{
    public const string PollNotOpen = "poll_not_open";
    public const string AlreadyVoted = "already_voted";
}
