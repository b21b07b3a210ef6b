using System.Net;
using System.Net.Http.Json;
using IntegrationTests.Fixtures;

namespace IntegrationTests.Votes;

public sealed class LiveResultsTests(ApiFixture api) : IClassFixture<ApiFixture>
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
}
