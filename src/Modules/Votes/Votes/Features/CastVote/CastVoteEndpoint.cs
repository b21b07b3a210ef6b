using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Shared.Idempotency;
using Shared.OpenApi;
using Shared.Problems;
using Shared.RateLimiting;
using Shared.Tenancy;
using Votes.Data;
using Votes.Domain;

namespace Votes.Features.CastVote;

internal static class CastVoteEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/{pollId}/votes", Handle)
            .AllowAnonymous()
            .RequireRateLimiting(RateLimitPolicies.Votes)
            .AcceptsIdempotencyKey()
            .WithSummary("Cast a vote")
            .WithName("castVote")
            .WithDescription("A 201 means the vote is durably committed and counted. A second vote by the same voter (or IP) is 409 already_voted.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithRequestExample(new CastVoteRequest([Guid.Parse("0196f0c2-7a1e-7c4d-9a51-2b8e4f6d1a01")], "device-3f9a1c"));

    private static async Task<Results<Created<CastVoteResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        string pollId, CastVoteRequest request, HttpContext http, PublishedPolls published, BallotBox ballotBox, TenantScope tenant, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var poll = await published.FindAsync(pollId, cancellationToken);
        if (poll is null)
        {
            return ApiProblem.NotFound("The poll");
        }
        var errors = CastVoteValidator.Validate(request, poll);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var now = clock.GetUtcNow();
        if (!poll.AcceptsVotesAt(now))
        {
            return NotOpen();
        }
        var dedupeKey = BallotRules.DedupeKey(poll.DuplicateCheck, request.VoterKey, http.Connection.RemoteIpAddress);
        var vote = Vote.Cast(poll.TenantId, poll.PollId, request.OptionIds!, request.VoterKey, dedupeKey, now);
        // The copy checked above may be a moment old; the ballot box checks the poll again as it stores the vote.
        return await ballotBox.CastAsync(vote, tenant.Required, cancellationToken) switch
        {
            BallotOutcome.Stored => TypedResults.Created((string?)null, new CastVoteResponse(vote.Id, vote.PollId, vote.OptionIds, vote.CastAt)),
            BallotOutcome.AlreadyVoted => ApiProblem.Conflict(VoteProblemCodes.AlreadyVoted, "A vote from this voter has already been counted."),
            BallotOutcome.PollGone => ApiProblem.NotFound("The poll"),
            _ => NotOpen(),
        };
    }

    private static ProblemHttpResult NotOpen() =>
        ApiProblem.Create(StatusCodes.Status422UnprocessableEntity, VoteProblemCodes.PollNotOpen, "Poll not open", "The poll is not accepting votes now.");
}
