using System.Collections.Concurrent;
using System.Diagnostics;

namespace IntegrationTests.Fixtures;

/// <summary>
/// Voters who vote in a loop on one poll while something changes its state: what each request got, and when it was
/// sent and answered, against when the change answered.
/// </summary>
public static class VoteRace
{
    public sealed record Ballot(TimeSpan SentAt, HttpStatusCode Status, string? Code);

    /// <summary>A change that is the clock reaching <paramref name="moment"/> (a scheduled close): at once if it already has, on a slow machine.</summary>
    public static Func<Task> Until(DateTimeOffset moment) => () =>
    {
        var left = moment - DateTimeOffset.UtcNow;
        return left > TimeSpan.Zero ? Task.Delay(left) : Task.CompletedTask;
    };

    public sealed record Outcome(IReadOnlyList<Ballot> Ballots, TimeSpan ChangeAnsweredAt)
    {
        public int Acknowledged => Ballots.Count(b => b.Status == HttpStatusCode.Created);

        /// <summary>Ballots sent once the change had answered: none of them may be acknowledged.</summary>
        public IReadOnlyList<Ballot> SentAfterTheChange => [.. Ballots.Where(b => b.SentAt > ChangeAnsweredAt)];
    }

    /// <param name="voter">The client voter <c>i</c> sends through (several instances can share the voters out).</param>
    /// <param name="change">Changes the poll's state and returns once that has answered.</param>
    public static async Task<Outcome> RunAsync(Func<int, HttpClient> voter, Guid pollId, Guid optionId, Func<Task> change, int voters = 32)
    {
        var clock = Stopwatch.StartNew();
        var ballots = new ConcurrentQueue<Ballot>();
        using var stop = new CancellationTokenSource();
        var loops = Enumerable.Range(0, voters).Select(i => Task.Run(async () =>
        {
            var client = voter(i);
            while (!stop.IsCancellationRequested)
            {
                var sentAt = clock.Elapsed;
                using var response = await client.PostAsJsonAsync($"/api/public/polls/{pollId}/votes", new { optionIds = new[] { optionId } });
                var code = response.IsSuccessStatusCode ? null
                    : (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();
                ballots.Enqueue(new Ballot(sentAt, response.StatusCode, code));
            }
        })).ToList();
        // The change must race votes already being taken: on a busy machine the first ones can take longer than the pause.
        await Task.Delay(300);
        for (var waited = 0; waited < 100 && !ballots.Any(b => b.Status == HttpStatusCode.Created); waited++)
        {
            await Task.Delay(100);
        }
        await change();
        var answeredAt = clock.Elapsed;
        await Task.Delay(300);
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        return new Outcome([.. ballots], answeredAt);
    }
}
