using System.Text.Json;
using Polls.Contracts;
using Shared.Json;
using Votes.Contracts;
using Webhooks.Domain;

namespace Webhooks.Features.FanOut;

/// <summary>
/// The bodies receivers get, in the Standard Webhooks shape: <c>{type, timestamp, data}</c>. Written once per event,
/// so every endpoint and every retry gets the same bytes.
/// </summary>
internal static class WebhookPayloads
{
    private sealed record Body<TData>(string Type, DateTimeOffset Timestamp, TData Data);

    public sealed record PollData(
        Guid PollId, string Question, PollStatus Status, DateTimeOffset? OpensAt, DateTimeOffset? ClosesAt, IReadOnlyList<PollOptionSnapshot> Options);

    public sealed record ResultsData(Guid PollId, string Question, long TotalVotes, IReadOnlyList<OptionResult> Options, DateTimeOffset FinalAt);

    public static string Of(string type, PollSnapshot poll, DateTimeOffset at) =>
        Serialize(type, new PollData(poll.PollId, poll.Question, poll.Status, poll.OpensAt, poll.ClosesAt, poll.Options), at);

    public static string Of(PollResultsFinal final) =>
        Serialize(WebhookEvents.ResultsFinal,
            new ResultsData(final.Results.PollId, final.Question, final.Results.TotalVotes, final.Results.Options, final.FinalAt), final.FinalAt);

    private static string Serialize<TData>(string type, TData data, DateTimeOffset at) =>
        JsonSerializer.Serialize(new Body<TData>(type, at, data), ApiJson.Options);
}
