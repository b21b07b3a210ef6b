namespace Votes.Contracts;

/// <summary>Counts a poll's votes. Polls asks on its members-only route, passing what it knows of the poll.</summary>
public interface IPollResults
{
    Task<PollResultsView> CountAsync(
        Guid tenantId,
        Guid pollId,
        IReadOnlyList<(Guid Id, string Text)> options,
        CancellationToken cancellationToken);
}

/// <param name="Final">True once the poll takes no more votes and the counts hold every vote: they never change again.</param>
/// <param name="AsOf">When the last counted vote was cast; null before the first vote. Stable while nothing changes, so the results carry a stable ETag.</param>
public sealed record PollResultsView(
    Guid PollId,
    long TotalVotes,
    IReadOnlyList<OptionResult> Options,
    DateTimeOffset? AsOf,
    bool Final);

/// <summary>One option's count; <c>Percent</c> is the share of ballots that chose it (a ballot may choose several).</summary>
public sealed record OptionResult(Guid OptionId, string Text, long Votes, double Percent);
