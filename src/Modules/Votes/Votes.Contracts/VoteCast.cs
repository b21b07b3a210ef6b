namespace Votes.Contracts;

/// <summary>A vote was durably committed. Published in the vote's own transaction.</summary>
public sealed record VoteCast(Guid VoteId, Guid TenantId, Guid PollId, IReadOnlyList<Guid> OptionIds, DateTimeOffset CastAt);
