namespace IntegrationTests.Polls;

/// <summary>What a change to a poll's state promises once it has answered, on one instance: close and archive cut voting off, open lets it in.</summary>
public sealed class PollCutOffTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    /// <summary>Checks a race: nothing sent after the change got a 201, and every refusal is the one named.</summary>
    internal static void AssertCutOff(VoteRace.Outcome race, HttpStatusCode refusal, string code)
    {
        var answers = string.Join(", ", race.Ballots.GroupBy(b => (b.Status, b.Code)).Select(g => $"{g.Key}: {g.Count()}"));
        Assert.True(race.Acknowledged > 0, $"some votes were taken before the change (answers: {answers})");
        Assert.NotEmpty(race.SentAfterTheChange);
        Assert.All(race.SentAfterTheChange, b => Assert.Equal((refusal, code), (b.Status, b.Code)));
        Assert.All(race.Ballots.Where(b => b.Status != HttpStatusCode.Created), b => Assert.Contains(b.Code, new[] { "poll_not_open", "not_found" }));
    }

    /// <summary>The member results, final at once and equal to the votes acknowledged and stored, and still so 2 s later.</summary>
    private async Task AssertFinalAsync(TenantSession tenant, Guid pollId, VoteRace.Outcome race)
    {
        var results = await tenant.Admin().GetFromJsonAsync<JsonElement>($"/api/polls/{pollId}/results");
        Assert.True(results.GetProperty("final").GetBoolean());
        Assert.Equal(race.Acknowledged, results.GetProperty("totalVotes").GetInt64());
        Assert.Equal(race.Acknowledged, await api.VotesStoredAsync(pollId));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var later = await tenant.Admin().GetFromJsonAsync<JsonElement>($"/api/polls/{pollId}/results");
        Assert.Equal(results.GetRawText(), later.GetRawText());
    }

    [Fact]
    public async Task Once_close_answers_no_vote_is_acknowledged_and_the_final_results_hold_every_acknowledged_vote()
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.OpenPollAsync(new { duplicateCheck = "none" });
        var race = await VoteRace.RunAsync(_ => api.Anonymous(), poll.Id(), poll.OptionId(0),
            async () => Assert.Equal(HttpStatusCode.OK, (await tenant.Admin().PostAsync($"/api/polls/{poll.Id()}/close", null)).StatusCode));

        AssertCutOff(race, HttpStatusCode.UnprocessableEntity, "poll_not_open");
        await AssertFinalAsync(tenant, poll.Id(), race);
        var published = await api.Anonymous().GetFromJsonAsync<JsonElement>($"/api/public/polls/{poll.Id()}/results");
        Assert.True(published.GetProperty("final").GetBoolean());
        Assert.Equal(race.Acknowledged, published.GetProperty("totalVotes").GetInt64());
    }

    [Fact]
    public async Task Once_closes_at_passes_no_vote_is_acknowledged_and_the_results_become_final_with_every_acknowledged_vote()
    {
        var tenant = await api.NewTenantAsync();
        var closesAt = DateTimeOffset.UtcNow.AddSeconds(3);
        var poll = await tenant.OpenPollAsync(new { duplicateCheck = "none", closesAt });
        var race = await VoteRace.RunAsync(_ => api.Anonymous(), poll.Id(), poll.OptionId(0), VoteRace.Until(closesAt));

        AssertCutOff(race, HttpStatusCode.UnprocessableEntity, "poll_not_open");
        // The scheduled close is stored within a second of closesAt; from then on the counts are final.
        var results = await Eventually.GetAsync(() => tenant.Admin().GetFromJsonAsync<JsonElement>($"/api/polls/{poll.Id()}/results"),
            r => r.GetProperty("final").GetBoolean(), "the results final", seconds: 5);
        Assert.Equal(race.Acknowledged, results.GetProperty("totalVotes").GetInt64());
        await AssertFinalAsync(tenant, poll.Id(), race);
    }

    [Fact]
    public async Task Once_archive_answers_the_public_routes_are_404_and_no_vote_is_acknowledged()
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.OpenPollAsync(new { duplicateCheck = "none" });
        var race = await VoteRace.RunAsync(_ => api.Anonymous(), poll.Id(), poll.OptionId(0),
            async () => Assert.Equal(HttpStatusCode.NoContent, (await tenant.Admin().DeleteAsync($"/api/polls/{poll.Id()}")).StatusCode));

        AssertCutOff(race, HttpStatusCode.NotFound, "not_found");
        foreach (var route in new[] { "", "/results", "/results/stream" })
        {
            await (await api.Anonymous().GetAsync($"/api/public/polls/{poll.Id()}{route}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        }
        Assert.Equal(race.Acknowledged, await api.VotesStoredAsync(poll.Id()));
        Assert.Equal(race.Acknowledged, await api.Deployment.ScalarAsync("SELECT total_votes FROM votes.poll_tallies WHERE poll_id = $1 AND final", poll.Id()));
    }

    [Fact]
    public async Task Once_open_answers_the_poll_is_public_and_takes_votes_at_once()
    {
        var tenant = await api.NewTenantAsync();
        for (var i = 0; i < 20; i++)
        {
            var poll = await tenant.CreatePollAsync(new { duplicateCheck = "none" });
            // Read while a draft, so that the instance holds the draft in its cache when the open comes.
            await (await api.Anonymous().GetAsync($"/api/public/polls/{poll.Id()}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
            Assert.Equal(HttpStatusCode.OK, (await tenant.Admin().PostAsync($"/api/polls/{poll.Id()}/open", null)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await api.Anonymous().GetAsync($"/api/public/polls/{poll.Id()}")).StatusCode);
            Assert.Equal(HttpStatusCode.Created,
                (await api.Anonymous().PostAsJsonAsync($"/api/public/polls/{poll.Id()}/votes", new { optionIds = new[] { poll.OptionId(0) } })).StatusCode);
        }
    }
}
