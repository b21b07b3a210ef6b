using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Identity.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Polls.Data;
using Polls.Features.GetPollResults;
using Shared.Http;
using Shared.Problems;
using Votes.Contracts;

namespace Polls.Features.ExportPoll;

/// <summary>A poll's results and its votes as CSV files, for the tenant's admins and editors.</summary>
internal static class ExportPollEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/{pollId}/results.csv", ResultsAsync)
            .RequireAuthorization(AccessPolicies.Editor)
            .WithSummary("Export the results as CSV")
            .WithName("exportPollResults")
            .WithDescription("One row per option in the poll's order: option_id, option, votes, percent (of ballots), as the members' results count them now.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        routes.MapGet("/{pollId}/votes.csv", VotesAsync)
            .RequireAuthorization(AccessPolicies.Editor)
            .WithSummary("Export every vote as CSV")
            .WithName("exportPollVotes")
            .WithDescription("One row per stored vote in the order cast: vote_id, cast_at (ISO 8601), option_ids (separated by spaces), voter (the voter key hashed with the tenant's own key; empty without one). Streamed: the file can be of any size.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<CsvAttachment, ProblemHttpResult>> ResultsAsync(string pollId, ClaimsPrincipal principal, PollsDbContext db, IPollResults results, CancellationToken cancellationToken)
    {
        if (await MemberResults.CountAsync(pollId, principal, db, results, cancellationToken) is not { } counted)
        {
            return ApiProblem.NotFound("The poll");
        }
        var rows = counted.View.Options.Select(o => new[] { o.OptionId.ToString(), o.Text, Number(o.Votes), Number(o.Percent) }).ToAsyncEnumerable();
        return new CsvAttachment($"poll-{counted.PollId}-results.csv", ["option_id", "option", "votes", "percent"], rows);
    }

    private static async Task<Results<CsvAttachment, ProblemHttpResult>> VotesAsync(string pollId, ClaimsPrincipal principal, PollsDbContext db, IPollVotes votes, CancellationToken cancellationToken)
    {
        var tenantId = TenantMember.From(principal).TenantId;
        var poll = await db.Polls.FindForTenantAsync(tenantId, pollId, cancellationToken);
        if (poll is null)
        {
            return ApiProblem.NotFound("The poll");
        }
        return new CsvAttachment($"poll-{poll.Id}-votes.csv", ["vote_id", "cast_at", "option_ids", "voter"],
            VoteRows(votes.ReadAsync(tenantId, poll.Id, cancellationToken), cancellationToken));
    }

    private static async IAsyncEnumerable<string[]> VoteRows(IAsyncEnumerable<ExportedVote> votes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var vote in votes.WithCancellation(cancellationToken))
        {
            yield return [vote.VoteId.ToString(), vote.CastAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), string.Join(' ', vote.OptionIds), vote.VoterHash ?? ""];
        }
    }

    private static string Number<T>(T value) where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);
}
