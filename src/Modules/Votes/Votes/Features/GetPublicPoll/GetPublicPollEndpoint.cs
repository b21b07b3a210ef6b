using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Caching.Hybrid;
using Polls.Contracts;
using Shared.Http;
using Shared.Problems;
using Votes.Domain;
using Shared.OpenApi;

namespace Votes.Features.GetPublicPoll;

/// <summary>A poll as voters see it: what to answer and how, without the tenant's own settings.</summary>
internal sealed record PublicPollView(
    Guid Id,
    string Question,
    string? Description,
    IReadOnlyList<PublicOption> Options,
    int MinChoices,
    int MaxChoices,
    bool VoterKeyRequired,
    ResultsVisibility ResultsVisibility,
    PollStatus Status,
    DateTimeOffset? OpensAt,
    DateTimeOffset? ClosesAt);

internal sealed record PublicOption(Guid Id, string Text);

internal static class GetPublicPollEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/public/polls/{pollId}", Handle)
            .AllowAnonymous()
            .WithSummary("A poll as voters see it")
            .WithName("getPublicPoll")
            .SendsEntityTag()
            .WithDescription("No credentials: what an embed shows. Drafts and archived polls are 404. The ETag makes a revalidation with If-None-Match a 304.")
            .Produces<PublicPollView>()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<IResult> Handle(string pollId, PublishedPolls published, HybridCache cache, TimeProvider clock, CancellationToken cancellationToken)
    {
        var poll = await published.FindAsync(pollId, cancellationToken);
        if (poll is null)
        {
            return ApiProblem.NotFound("The poll");
        }
        // The body and its ETag are made once per version of the poll, and kept until the next moment its status can
        // change by the clock (closesAt); a change by an event makes a new version, hence a new key.
        var now = clock.GetUtcNow();
        var view = await cache.GetOrCreateAsync($"votes:view:{poll.PollId:N}:{poll.Version}", (poll, now),
            static (state, _) => ValueTask.FromResult(SerializedJson.Of(Describe(state.poll, state.now))),
            CacheUntilStatusChanges(poll, now), cancellationToken: cancellationToken);
        // Shared caches may hold it briefly: a status change shows within seconds, and the ETag makes revalidation cheap.
        return TaggedJson.Of(view, cacheControl: "public, max-age=2");
    }

    private static PublicPollView Describe(PollReplica poll, DateTimeOffset now) => new(
        poll.PollId, poll.Question, poll.Description, poll.Options.Select(o => new PublicOption(o.Id, o.Text)).ToList(),
        poll.MinChoices, poll.MaxChoices, poll.DuplicateCheck == DuplicateCheck.Voter, poll.ResultsVisibility,
        poll.StatusAt(now), poll.OpensAt, poll.ClosesAt);

    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    // Shared by the reads of every poll that does not close sooner.
    private static readonly HybridCacheEntryOptions Lasting = new() { Expiration = Lifetime, LocalCacheExpiration = Lifetime };

    private static HybridCacheEntryOptions CacheUntilStatusChanges(PollReplica poll, DateTimeOffset now)
    {
        if (poll.StatusAt(now) != PollStatus.Open || poll.ClosesAt is not { } closesAt || closesAt - now >= Lifetime)
        {
            return Lasting;
        }
        // Cut down to whole seconds, and to tenths in the last one (the entry goes a little early, never late): a
        // poll's last five minutes then use at most 311 sets of lifetimes, each of which the cache makes its options
        // for once, instead of a new one on every read of its last second.
        var left = closesAt - now;
        var grain = left >= TimeSpan.FromSeconds(1) ? TimeSpan.TicksPerSecond : TimeSpan.TicksPerMillisecond * 100;
        var lifetime = TimeSpan.FromTicks(Math.Max(left.Ticks / grain * grain, 1));
        return new HybridCacheEntryOptions { Expiration = lifetime, LocalCacheExpiration = lifetime };
    }
}
