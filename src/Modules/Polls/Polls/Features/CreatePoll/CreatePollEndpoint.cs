using System.Security.Claims;
using Identity.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Polls.Contracts;
using Polls.Data;
using Polls.Domain;
using Shared.Http;
using Shared.Messaging;
using Shared.Idempotency;
using Shared.OpenApi;
using Shared.Tenancy;

namespace Polls.Features.CreatePoll;

internal static class CreatePollEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("", Handle)
            .RequireAuthorization(AccessPolicies.Editor)
            .AcceptsIdempotencyKey()
            .WithSummary("Create a poll (as a draft)")
            .WithName("createPoll")
            .SendsLocation()
            .SendsEntityTag()
            .WithDescription("Editors and admins. The poll starts as a draft that only the tenant sees; open it with POST /api/polls/{pollId}/open. question, options, resultsVisibility and duplicateCheck are required; description, opensAt and closesAt may be left out, and minChoices and maxChoices default to 1.")
            .WithRequestExample(new PollFields(
                "Who should win tonight's debate?", "Vote during the live broadcast.",
                [new OptionFields("Candidate A"), new OptionFields("Candidate B")],
                1, 1, null, DateTimeOffset.Parse("2030-01-01T21:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
                ResultsVisibility.AfterVote, DuplicateCheck.Voter));

    private static async Task<Results<Created<PollView>, ValidationProblem>> Handle(
        PollFields request, ClaimsPrincipal principal, HttpContext http, PollsDbContext db, Outbox outbox, TenantDirectory directory, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (draft, errors) = PollFieldsValidator.Validate(request, null, now);
        if (draft is null)
        {
            return errors.ToProblem();
        }
        var poll = Poll.Create(TenantMember.From(principal).TenantId, draft, now);
        // The route first: a poll that exists always has one, so public routes find its shard. A route whose poll
        // was never stored (the save failed) leads to a 404 there, as an unknown id should.
        await directory.AddPublicRouteAsync(poll.Id, poll.TenantId, cancellationToken);
        db.Polls.Add(poll);
        await outbox.PublishAsync(db, new PollCreated(poll.Snapshot()));
        await outbox.SaveChangesAsync(db, cancellationToken);
        var view = PollView.Of(poll, now);
        http.Response.Headers.ETag = EntityTag.ForJson(view);
        return TypedResults.Created($"/api/polls/{poll.Id}", view);
    }
}
