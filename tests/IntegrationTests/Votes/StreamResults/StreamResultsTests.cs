namespace IntegrationTests.Votes.StreamResults;

/// <summary>
/// Run in the quiet collection: a vote's frame within a second holds in normal operation, and the rest of the suite
/// starting its hosts alongside is not that (one CI run waited over a second, 44 s into the suite).
/// </summary>
[Collection(QuietMachine.Name)]
public sealed class StreamResultsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static async Task<EventStream> OpenAsync(HttpClient client, string route)
    {
        var response = await client.GetAsync(route, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new EventStream(response);
    }

    [Fact]
    public async Task The_stream_sends_the_results_at_once_and_again_when_votes_are_counted()
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.OpenPollAsync(new { duplicateCheck = "none" });
        await using var stream = await OpenAsync(api.Anonymous(), $"/api/public/polls/{poll.Id()}/results/stream");
        Assert.Equal(0, (await stream.NextAsync()).GetProperty("totalVotes").GetInt64());

        for (var i = 0; i < 3; i++)
        {
            await api.Anonymous().PostAsJsonAsync($"/api/public/polls/{poll.Id()}/votes", new { optionIds = new[] { poll.OptionId(1) } });
        }
        var counted = await stream.UntilAsync(e => e.GetProperty("totalVotes").GetInt64() == 3);
        Assert.Equal(3, counted.GetProperty("options")[1].GetProperty("votes").GetInt64());

        await tenant.ClosePollAsync(poll.Id());
        Assert.True((await stream.UntilAsync(e => e.GetProperty("final").GetBoolean())).GetProperty("final").GetBoolean());
    }

    [Fact]
    public async Task The_stream_keeps_the_results_visibility_rule()
    {
        var tenant = await api.NewTenantAsync();
        var hidden = await tenant.OpenPollAsync(new { resultsVisibility = "never" });
        await (await api.Anonymous().GetAsync($"/api/public/polls/{hidden.Id()}/results/stream")).AssertProblemAsync(HttpStatusCode.Forbidden, "results_hidden");
        await (await api.Anonymous().GetAsync($"/api/public/polls/{Guid.NewGuid()}/results/stream")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");

        var afterVote = await tenant.OpenPollAsync(new { resultsVisibility = "after_vote" });
        await (await api.Anonymous().GetAsync($"/api/public/polls/{afterVote.Id()}/results/stream?voterKey=me")).AssertProblemAsync(HttpStatusCode.Forbidden, "results_hidden");
        await api.Anonymous().PostAsJsonAsync($"/api/public/polls/{afterVote.Id()}/votes", new { optionIds = new[] { afterVote.OptionId(0) }, voterKey = "me" });
        await using var stream = await OpenAsync(api.Anonymous(), $"/api/public/polls/{afterVote.Id()}/results/stream?voterKey=me");
        await stream.UntilAsync(e => e.GetProperty("totalVotes").GetInt64() == 1);
    }

    private async Task VoteAsync(Guid pollId, Guid optionId) =>
        Assert.Equal(HttpStatusCode.Created, (await api.Anonymous().PostAsJsonAsync($"/api/public/polls/{pollId}/votes", new { optionIds = new[] { optionId } })).StatusCode);

    [Fact]
    public async Task An_idle_stream_sends_its_first_frame_and_at_most_two_heartbeats_in_20_s_and_a_vote_arrives_within_a_second()
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.OpenPollAsync(new { duplicateCheck = "none" });
        // One vote counted first, so that the second one below does not also pay for the first tally in this process.
        await VoteAsync(poll.Id(), poll.OptionId(0));
        await tenant.ResultsWhenCountedAsync(poll.Id(), 1);
        await using var stream = await OpenAsync(api.Anonymous(), $"/api/public/polls/{poll.Id()}/results/stream");

        var (frames, ended) = await stream.FramesDuringAsync(TimeSpan.FromSeconds(20));
        Assert.False(ended);
        Assert.Equal("results", frames[0].Event);
        Assert.All(frames.Skip(1), f => Assert.Equal("heartbeat", f.Comment));
        Assert.InRange(frames.Count - 1, 1, 2);

        await VoteAsync(poll.Id(), poll.OptionId(0));
        var next = await stream.NextFrameAsync(TimeSpan.FromSeconds(1));
        Assert.Equal("results", next!.Event);
        Assert.Equal(2, next.Json.GetProperty("totalVotes").GetInt64());
    }

    [Fact]
    public async Task Every_event_has_an_id_and_a_reconnect_with_last_event_id_gets_the_current_results_at_once()
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.OpenPollAsync(new { duplicateCheck = "none" });
        var route = $"/api/public/polls/{poll.Id()}/results/stream";
        string firstId;
        await using (var stream = await OpenAsync(api.Anonymous(), route))
        {
            var first = await stream.NextFrameAsync(TimeSpan.FromSeconds(5));
            firstId = first!.Id!;
            await VoteAsync(poll.Id(), poll.OptionId(0));
            var counted = await stream.NextFrameAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(1, counted!.Json.GetProperty("totalVotes").GetInt64());
            Assert.NotNull(counted.Id);
            Assert.NotEqual(firstId, counted.Id);
        }
        await VoteAsync(poll.Id(), poll.OptionId(1));
        await tenant.ResultsWhenCountedAsync(poll.Id(), 2);

        var reconnect = new HttpRequestMessage(HttpMethod.Get, route) { Headers = { { "Last-Event-ID", firstId } } };
        var response = await api.Anonymous().SendAsync(reconnect, HttpCompletionOption.ResponseHeadersRead);
        await using var resumed = new EventStream(response);
        var current = await resumed.NextFrameAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(2, current!.Json.GetProperty("totalVotes").GetInt64());
        Assert.NotEqual(firstId, current.Id);
    }

    [Fact]
    public async Task When_the_poll_closes_the_stream_sends_the_final_results_and_ends_and_a_new_stream_gets_them_and_ends_too()
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.OpenPollAsync(new { duplicateCheck = "none" });
        var route = $"/api/public/polls/{poll.Id()}/results/stream";
        await using var stream = await OpenAsync(api.Anonymous(), route);
        await stream.NextFrameAsync(TimeSpan.FromSeconds(5));
        await VoteAsync(poll.Id(), poll.OptionId(1));
        await tenant.ClosePollAsync(poll.Id());

        var (frames, ended) = await stream.FramesDuringAsync(TimeSpan.FromSeconds(5));
        Assert.True(ended, "the stream ends after the final results");
        var last = frames.Last(f => f.Event == "results").Json;
        Assert.True(last.GetProperty("final").GetBoolean());
        Assert.Equal(1, last.GetProperty("totalVotes").GetInt64());

        await using var late = await OpenAsync(api.Anonymous(), route);
        var (lateFrames, lateEnded) = await late.FramesDuringAsync(TimeSpan.FromSeconds(5));
        Assert.True(lateEnded);
        Assert.True(Assert.Single(lateFrames).Json.GetProperty("final").GetBoolean());
    }

    [Fact]
    public async Task A_stream_of_a_poll_that_is_archived_ends()
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.OpenPollAsync();
        await using var stream = await OpenAsync(api.Anonymous(), $"/api/public/polls/{poll.Id()}/results/stream");
        await stream.NextFrameAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Admin().DeleteAsync($"/api/polls/{poll.Id()}")).StatusCode);
        var (_, ended) = await stream.FramesDuringAsync(TimeSpan.FromSeconds(5));
        Assert.True(ended);
    }

    [Fact]
    public async Task A_burst_of_votes_reaches_the_stream_as_at_most_four_events_a_second()
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.OpenPollAsync(new { duplicateCheck = "none" });
        await using var stream = await OpenAsync(api.Anonymous(), $"/api/public/polls/{poll.Id()}/results/stream");
        await stream.NextFrameAsync(TimeSpan.FromSeconds(5));

        // Votes for two seconds, eight at a time, each counted as it comes.
        var voting = Task.Run(async () =>
        {
            var until = DateTime.UtcNow.AddSeconds(2);
            var cast = 0;
            while (DateTime.UtcNow < until)
            {
                await Task.WhenAll(Enumerable.Range(0, 8).Select(i => VoteAsync(poll.Id(), poll.OptionId(i % 2))));
                cast += 8;
            }
            return cast;
        });
        var (frames, _) = await stream.FramesDuringAsync(TimeSpan.FromSeconds(2.5));
        var cast = await voting;
        var events = frames.Where(f => f.Event == "results").ToList();
        Assert.True(cast > 40, $"{cast} votes cast");
        // 2.5 s at four a second, plus one for a tick that falls on the edge.
        Assert.InRange(events.Count, 2, 11);
        var totals = events.Select(e => e.Json.GetProperty("totalVotes").GetInt64()).ToList();
        Assert.Equal(totals.Order(), totals);
        if (totals[^1] != cast)
        {
            await stream.UntilAsync(e => e.GetProperty("totalVotes").GetInt64() == cast);
        }
    }
}
