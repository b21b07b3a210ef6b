using Shared.Validation;
using Votes.Domain;

namespace Votes.Features.CastVote;

/// <summary>A ballot against the rules of the poll it is for.</summary>
internal static class CastVoteValidator
{
    public static ValidationErrors Validate(CastVoteRequest request, PollReplica poll)
    {
        var errors = new ValidationErrors();
        BallotRules.Check(poll, request.OptionIds, request.VoterKey, errors);
        return errors;
    }
}
