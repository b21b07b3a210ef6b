namespace IntegrationTests.Platform;

/// <summary>The README's walk-through, end to end: sign up, log in, create and open a poll, vote, read results.</summary>
public sealed class SmokeFlowTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_tenant_creates_a_poll_and_the_public_votes_on_it()
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.OpenPollAsync();
        Assert.Equal("open", poll.GetProperty("status").GetString());

        var publicView = await api.Anonymous().GetFromJsonAsync<JsonElement>($"/api/public/polls/{poll.Id()}");
        Assert.Equal("Which is best?", publicView.GetProperty("question").GetString());

        var vote = await api.Anonymous().PostAsJsonAsync($"/api/public/polls/{poll.Id()}/votes",
            new { optionIds = new[] { poll.OptionId(1) }, voterKey = "viewer-1" });
        Assert.Equal(HttpStatusCode.Created, vote.StatusCode);
        var cast = await vote.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(poll.Id(), cast.GetProperty("pollId").GetGuid());

        // Counts follow committed votes asynchronously, well within a second.
        var results = await Eventually.GetAsync(
            () => api.Anonymous().GetFromJsonAsync<JsonElement>($"/api/public/polls/{poll.Id()}/results"),
            r => r.GetProperty("totalVotes").GetInt64() == 1, "the vote counted");
        var green = results.GetProperty("options")[1];
        Assert.Equal("Green", green.GetProperty("text").GetString());
        Assert.Equal(1, green.GetProperty("votes").GetInt64());
        Assert.Equal(100.0, green.GetProperty("percent").GetDouble());
        Assert.False(results.GetProperty("final").GetBoolean());

        var memberResults = await tenant.Admin().GetFromJsonAsync<JsonElement>($"/api/polls/{poll.Id()}/results");
        Assert.Equal(1, memberResults.GetProperty("totalVotes").GetInt64());
    }
}
