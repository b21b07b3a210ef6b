using System.Security.Claims;
using Identity.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Polls.Data;
using Shared.Http;
using Shared.Problems;
using Shared.OpenApi;

namespace Polls.Features.GetPoll;

internal static class GetPollEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/{pollId}", Handle)
            .RequireAuthorization(AccessPolicies.Member)
            .WithSummary("One poll, with an ETag")
            .WithName("getPoll")
            .SendsEntityTag()
            .WithDescription("The poll as its tenant sees it, with an ETag: send it back as If-None-Match for a 304, or as If-Match on a change to avoid overwriting someone else's.")
            .Produces<PollView>()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<Results<TaggedJson, ProblemHttpResult>> Handle(
        string pollId, ClaimsPrincipal principal, PollsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var poll = await db.Polls.FindForTenantAsync(TenantMember.From(principal).TenantId, pollId, cancellationToken);
        if (poll is null)
        {
            return ApiProblem.NotFound("The poll");
        }
        return TaggedJson.Create(PollView.Of(poll, clock.GetUtcNow()));
    }
}
