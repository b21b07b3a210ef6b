namespace Votes.Features.CastVote;

internal sealed record CastVoteRequest(IReadOnlyList<Guid>? OptionIds, string? VoterKey);

internal sealed record CastVoteResponse(Guid VoteId, Guid PollId, IReadOnlyList<Guid> OptionIds, DateTimeOffset CastAt);
