using Identity.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Polls.Data;
using Polls.Domain;
using Shared.Http;
using Shared.Messaging;
using Shared.Problems;

namespace Polls.Features;

/// <summary>
/// The two steps every change to a poll shares, around the change itself: load the poll from the caller's tenant if
/// If-Match holds, then store it with the event that announces it, only if nobody else changed the poll in between,
/// and return once the other modules have applied it: after an open answers, voters see the poll; after a close or
/// an archive answers, no vote is taken. One per request.
/// </summary>
internal sealed class PollMutation(PollsDbContext db, Outbox outbox, TimeProvider clock)
{
    /// <summary>How long a change waits for the other modules to apply it before answering that it is still under way.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    /// <summary>The time of the change, read when the poll is loaded.</summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>The caller's poll, or the 404 or 412 that stops the change.</summary>
    public async Task<(Poll? Poll, ProblemHttpResult? Refusal)> LoadAsync(HttpContext http, string pollId)
    {
        var poll = await db.Polls.FindForTenantAsync(TenantMember.From(http.User).TenantId, pollId, http.RequestAborted);
        if (poll is null)
        {
            return (null, ApiProblem.NotFound("The poll"));
        }
        Now = clock.GetUtcNow();
        return EntityTag.IfMatchHolds(http.Request, EntityTag.ForJson(PollView.Of(poll, Now))) ? (poll, null) : (null, ApiProblem.PreconditionFailed());
    }

    /// <summary>
    /// Stores the changed poll and <paramref name="announcement"/> in one transaction and waits until the announcement
    /// is applied; null when all of that is done, else the problem to answer.
    /// </summary>
    public async Task<ProblemHttpResult?> SaveAsync(HttpContext http, object announcement)
    {
        await outbox.PublishAsync(db, announcement);
        try
        {
            await outbox.SaveChangesAsync(db, http.RequestAborted);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ApiProblem.PreconditionFailed();
        }
        try
        {
            await outbox.AppliedAsync(Patience, http.RequestAborted);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Stored, and the outbox will deliver it; but the promise the answer makes does not hold yet.
            return ApiProblem.Create(StatusCodes.Status503ServiceUnavailable, ProblemCodes.Unavailable, "Not applied everywhere yet",
                "The change is stored and is being applied; it takes effect within seconds. Read the poll to see it.");
        }
        return null;
    }

    /// <summary>200 with the poll and its new entity tag, so the client can chain another conditional change.</summary>
    public Ok<PollView> Tagged(HttpContext http, Poll poll)
    {
        var view = PollView.Of(poll, Now);
        http.Response.Headers.ETag = EntityTag.ForJson(view);
        return TypedResults.Ok(view);
    }
}
