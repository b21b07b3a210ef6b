using System.Runtime.CompilerServices;
using Polls.Contracts;
using Shared.Http;
using Votes.Domain;

namespace Votes.Features.GetPublicPoll;

/// <summary>
/// The public view of a poll, serialized with its ETag once per copy of the poll that <see cref="PublishedPolls"/>
/// holds in memory, and again only when the clock closes the poll (its one change that comes without an event).
/// Held beside that copy rather than in a cache entry of its own: a change to the poll makes a new copy, so the view
/// needs no key, no expiry and no invalidation of its own, and the cached read costs one cache lookup for the poll
/// (on every instance, with or without local copies of Redis's entries) instead of two.
/// </summary>
internal sealed class PublicPollViews
{
    private static readonly ConditionalWeakTable<PollReplica, PublicPollViews> Views = new();

    private readonly PollReplica _poll;
    // The last view made, with the status it shows: one reference, replaced whole, so that a reader never pairs one
    // view's status with another's body (a tuple field could be read half old, half new).
    private Made? _latest;

    private PublicPollViews(PollReplica poll) => _poll = poll;

    public static SerializedJson Of(PollReplica poll, DateTimeOffset now) =>
        Views.GetValue(poll, static copy => new PublicPollViews(copy)).At(now);

    private SerializedJson At(DateTimeOffset now)
    {
        var status = _poll.StatusAt(now);
        if (_latest is { } latest && latest.Status == status)
        {
            return latest.Json;
        }
        var json = SerializedJson.Of(Describe(_poll, status));
        _latest = new Made(status, json);
        return json;
    }

    private sealed record Made(PollStatus Status, SerializedJson Json);

    private static PublicPollView Describe(PollReplica poll, PollStatus status) => new(
        poll.PollId, poll.Question, poll.Description, poll.Options.Select(o => new PublicOption(o.Id, o.Text)).ToList(),
        poll.MinChoices, poll.MaxChoices, poll.DuplicateCheck == DuplicateCheck.Voter, poll.ResultsVisibility,
        status, poll.OpensAt, poll.ClosesAt);
}
