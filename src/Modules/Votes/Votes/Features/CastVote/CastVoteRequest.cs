using Shared.OpenApi;

namespace Votes.Features.CastVote;

[RequestBody]
internal sealed record CastVoteRequest(IReadOnlyList<Guid>? OptionIds, [property: OptionalField] string? VoterKey);

internal sealed record CastVoteResponse(Guid VoteId, Guid PollId, IReadOnlyList<Guid> OptionIds, DateTimeOffset CastAt);
