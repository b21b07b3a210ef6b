using Identity.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Polls.Contracts;
using Polls.Data;
using Polls.Domain;
using Shared.Messaging;
using Shared.OpenApi;
using Shared.Problems;
using Shared.Validation;

namespace Polls.Features.EditPoll;

internal static class EditPollEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapPatch("/api/polls/{pollId}", Handle)
            .RequireAuthorization(AccessPolicies.Editor)
            .WithSummary("Edit a draft poll")
            .WithName("editPoll")
            .SendsEntityTag()
            .WithDescription("Fields left out keep their values; sending options replaces them all. Send If-Match to avoid overwriting someone else's change.")
            .Produces<PollView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithRequestExample(new PollFields("Who won tonight's debate?", null, null, null, null, null, null, ResultsVisibility.Always, null));

    private static Task<IResult> Handle(string pollId, PollFields request, HttpContext http, PollsDbContext db, IMessageBus bus, TimeProvider clock) =>
        PollMutation.RunAsync(http, db, bus, clock, pollId, (poll, now) =>
        {
            var errors = new ValidationErrors();
            var draft = request.Over(poll.ToDraft(), errors)!;
            PollRules.Check(draft, now, errors);
            if (errors.Any)
            {
                return errors.ToProblem();
            }
            return poll.Edit(draft, now)
                ? null
                : ApiProblem.Conflict(ProblemCodes.PollNotDraft, "Only a draft poll can be edited.");
        }, snapshot => new PollUpdated(snapshot), (poll, now) => PollMutation.Tagged(http, poll, now));
}
