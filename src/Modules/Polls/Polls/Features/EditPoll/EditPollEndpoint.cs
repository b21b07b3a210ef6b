using Identity.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Polls.Contracts;
using Polls.Domain;
using Shared.OpenApi;
using Shared.Problems;

namespace Polls.Features.EditPoll;

internal static class EditPollEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapPatch("/{pollId}", Handle)
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

    private static async Task<Results<Ok<PollView>, ValidationProblem, ProblemHttpResult>> Handle(
        string pollId, PollFields request, HttpContext http, PollMutation mutation)
    {
        var (poll, refusal) = await mutation.LoadAsync(http, pollId);
        if (poll is null)
        {
            return refusal!;
        }
        var (draft, errors) = PollFieldsValidator.Validate(request, poll.ToDraft(), mutation.Now);
        if (draft is null)
        {
            return errors.ToProblem();
        }
        if (!poll.Edit(draft, mutation.Now))
        {
            return ApiProblem.Conflict(PollProblemCodes.PollNotDraft, "Only a draft poll can be edited.");
        }
        if (await mutation.SaveAsync(http, new PollUpdated(poll.Snapshot())) is { } failed)
        {
            return failed;
        }
        return mutation.Tagged(http, poll);
    }
}
