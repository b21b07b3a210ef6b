namespace Votes.Contracts;

/// <summary>A poll's votes one by one, for the members' export. Polls asks, having checked the poll is the caller's.</summary>
public interface IPollVotes
{
    /// <summary>Streamed from the database in the order they were cast: nothing is held but the row being read.</summary>
    IAsyncEnumerable<ExportedVote> ReadAsync(Guid tenantId, Guid pollId, CancellationToken cancellationToken);
}

/// <param name="VoterHash">The voter key, hashed with the tenant's own key (HMAC-SHA-256, hex): the same voter is
/// recognisable across the tenant's polls and exports, and the key itself is never shown. Null for a vote without one.</param>
public sealed record ExportedVote(Guid VoteId, DateTimeOffset CastAt, IReadOnlyList<Guid> OptionIds, string? VoterHash);
