using Identity.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Polls.Contracts;
using Polls.Data;
using Polls.Domain;
using Shared.Http;
using Shared.Messaging;
using Shared.Problems;

namespace Polls.Features;

/// <summary>
/// The steps every change to a poll shares: find it in the caller's tenant, honour If-Match, apply the change,
/// store it only if nobody else changed the poll in between, and answer only once the other modules have applied
/// it: after an open answers, voters see the poll; after a close or an archive answers, no vote is taken.
/// </summary>
internal static class PollMutation
{
    /// <param name="change">Changes the poll, or returns the problem that stops it.</param>
    /// <param name="announce">The event that tells other modules about the change; it commits with the change.</param>
    /// <param name="respond">The response once the change is stored.</param>
    public static async Task<IResult> RunAsync(
        HttpContext http, PollsDbContext db, IMessageBus bus, TimeProvider clock, string pollId,
        Func<Poll, DateTimeOffset, IResult?> change, Func<PollSnapshot, object> announce, Func<Poll, DateTimeOffset, IResult> respond)
    {
        var tenantId = TenantMember.From(http.User).TenantId;
        var poll = await db.Polls.FindForTenantAsync(tenantId, pollId, http.RequestAborted);
        if (poll is null)
        {
            return ApiProblem.NotFound("The poll");
        }
        var now = clock.GetUtcNow();
        if (!EntityTag.IfMatchHolds(http.Request, EntityTag.ForJson(PollView.Of(poll, now))))
        {
            return ApiProblem.PreconditionFailed();
        }
        if (change(poll, now) is { } refusal)
        {
            return refusal;
        }
        var announcement = db.PublishOnCommit(announce(poll.Snapshot()), now);
        try
        {
            await db.SaveChangesAsync(http.RequestAborted);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ApiProblem.PreconditionFailed();
        }
        try
        {
            await bus.DeliverNowAsync([announcement], http.RequestAborted);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Stored, and the outbox will deliver it; but the promise the answer makes does not hold yet.
            return ApiProblem.Create(StatusCodes.Status503ServiceUnavailable, ProblemCodes.Unavailable, "Not applied everywhere yet",
                "The change is stored and is being applied; it takes effect within seconds. Read the poll to see it.");
        }
        return respond(poll, now);
    }

    /// <summary>200 with the poll and its new entity tag, so the client can chain another conditional change.</summary>
    public static IResult Tagged(HttpContext http, Poll poll, DateTimeOffset now)
    {
        var view = PollView.Of(poll, now);
        http.Response.Headers.ETag = EntityTag.ForJson(view);
        return TypedResults.Ok(view);
    }
}
