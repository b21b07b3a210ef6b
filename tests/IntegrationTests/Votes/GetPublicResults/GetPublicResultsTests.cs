namespace IntegrationTests.Votes.GetPublicResults;

public sealed class GetPublicResultsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private async Task VoteAsync(JsonElement poll, string voterKey) =>
        Assert.Equal(HttpStatusCode.Created,
            (await api.Anonymous().PostAsJsonAsync($"/api/public/polls/{poll.Id()}/votes", new { optionIds = new[] { poll.OptionId(0) }, voterKey })).StatusCode);

    [Fact]
    public async Task Never_visible_results_are_hidden_from_the_public_but_not_from_members()
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.OpenPollAsync(new { resultsVisibility = "never" });
        await VoteAsync(poll, "a");
        await (await api.Anonymous().GetAsync($"/api/public/polls/{poll.Id()}/results?voterKey=a")).AssertProblemAsync(HttpStatusCode.Forbidden, "results_hidden");
        await tenant.ResultsWhenCountedAsync(poll.Id(), 1);
        var members = await (await tenant.MemberAsync("viewer")).GetFromJsonAsync<JsonElement>($"/api/polls/{poll.Id()}/results");
        Assert.Equal(1, members.GetProperty("totalVotes").GetInt64());
    }

    [Fact]
    public async Task After_vote_results_need_a_voter_key_that_has_voted()
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.OpenPollAsync(new { resultsVisibility = "after_vote" });
        var route = $"/api/public/polls/{poll.Id()}/results";
        await (await api.Anonymous().GetAsync(route)).AssertProblemAsync(HttpStatusCode.Forbidden, "results_hidden");
        await (await api.Anonymous().GetAsync(route + "?voterKey=me")).AssertProblemAsync(HttpStatusCode.Forbidden, "results_hidden");
        await VoteAsync(poll, "me");
        Assert.Equal(HttpStatusCode.OK, (await api.Anonymous().GetAsync(route + "?voterKey=me")).StatusCode);
        await (await api.Anonymous().GetAsync(route + "?voterKey=someone-else")).AssertProblemAsync(HttpStatusCode.Forbidden, "results_hidden");
    }

    [Fact]
    public async Task After_close_results_appear_when_the_poll_closes_and_are_final()
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.OpenPollAsync(new { resultsVisibility = "after_close" });
        var route = $"/api/public/polls/{poll.Id()}/results";
        await VoteAsync(poll, "a");
        await (await api.Anonymous().GetAsync(route)).AssertProblemAsync(HttpStatusCode.Forbidden, "results_hidden");
        await tenant.ResultsWhenCountedAsync(poll.Id(), 1);
        await tenant.ClosePollAsync(poll.Id());
        var results = await api.Anonymous().GetFromJsonAsync<JsonElement>(route);
        Assert.True(results.GetProperty("final").GetBoolean());
        Assert.Equal(1, results.GetProperty("totalVotes").GetInt64());
    }

    [Fact]
    public async Task Results_carry_an_etag_that_changes_exactly_when_the_counts_change()
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.OpenPollAsync();
        var route = $"/api/public/polls/{poll.Id()}/results";
        var first = await api.Anonymous().GetAsync(route);
        Assert.Contains("max-age", first.Headers.CacheControl!.ToString());
        var tag = first.Headers.ETag!;

        var revalidate = new HttpRequestMessage(HttpMethod.Get, route);
        revalidate.Headers.IfNoneMatch.Add(tag);
        Assert.Equal(HttpStatusCode.NotModified, (await api.Anonymous().SendAsync(revalidate)).StatusCode);

        await VoteAsync(poll, "a");
        var changed = await Eventually.GetAsync(() =>
        {
            var afterVote = new HttpRequestMessage(HttpMethod.Get, route);
            afterVote.Headers.IfNoneMatch.Add(tag);
            return api.Anonymous().SendAsync(afterVote);
        }, response => response.StatusCode == HttpStatusCode.OK, "a new representation once the vote is counted");
        Assert.NotEqual(tag, changed.Headers.ETag);
        Assert.NotNull((await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("asOf").GetString());
    }
}
