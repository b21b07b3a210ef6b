using System.Security.Claims;
using Identity.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Polls.Data;
using Shared.Http;
using Shared.Problems;
using Votes.Contracts;
using Shared.OpenApi;

namespace Polls.Features.GetPollResults;

internal static class GetPollResultsEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/{pollId}/results", Handle)
            .RequireAuthorization(AccessPolicies.Member)
            .WithSummary("Full results for the tenant's members, whatever the poll's visibility")
            .WithName("getPollResults")
            .SendsEntityTag()
            .WithDescription("For the tenant's members: the counts of every option, whatever the poll's resultsVisibility, with final once the poll has closed.")
            .Produces<PollResultsView>()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<Results<TaggedJson, ProblemHttpResult>> Handle(
        string pollId, ClaimsPrincipal principal, PollsDbContext db, IPollResults results,
        CancellationToken cancellationToken)
    {
        if (await MemberResults.CountAsync(pollId, principal, db, results, cancellationToken) is not { } counted)
        {
            return ApiProblem.NotFound("The poll");
        }
        return TaggedJson.Create(counted.View);
    }
}
