namespace IntegrationTests.Polls;

/// <summary>
/// The same promises with two Host processes on one deployment: the change goes through instance A, the voters and
/// readers through B, whose cached copy of the poll is the one that could be stale.
/// </summary>
public sealed class PollStateAcrossInstancesTests
{
    /// <summary>Two Host processes on one new deployment, and an admin of a new tenant (signed up through A).</summary>
    private sealed record TwoInstances(Deployment Deployment, HostProcess A, HostProcess B, HttpClient Admin) : IAsyncDisposable
    {
        public static async Task<TwoInstances> StartAsync()
        {
            var deployment = await Deployment.CreateAsync();
            var a = await HostProcess.StartAsync(deployment);
            var b = await HostProcess.StartAsync(deployment);
            return new TwoInstances(deployment, a, b, await ApiScript.AdminOfNewTenantAsync(a));
        }

        public async ValueTask DisposeAsync()
        {
            await A.DisposeAsync();
            await B.DisposeAsync();
        }
    }

    private static async Task<JsonElement> ResultsAsync(HostProcess host, HttpClient admin, Guid pollId) =>
        await admin.GetFromJsonAsync<JsonElement>(new Uri(host.Address, $"/api/polls/{pollId}/results"));

    [Fact]
    public async Task A_close_through_one_instance_cuts_off_votes_through_the_other_and_the_final_results_hold_every_acknowledged_vote()
    {
        await using var pair = await TwoInstances.StartAsync();
        var (deployment, a, b, admin) = (pair.Deployment, pair.A, pair.B, pair.Admin);
        var poll = await ApiScript.OpenPollAsync(admin, new { duplicateCheck = "none" });
        Assert.Equal(HttpStatusCode.OK, (await b.Client().GetAsync($"/api/public/polls/{poll.Id()}")).StatusCode);

        var race = await VoteRace.RunAsync(_ => b.Client(), poll.Id(), poll.OptionId(0),
            async () => Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/polls/{poll.Id()}/close", null)).StatusCode));

        PollCutOffTests.AssertCutOff(race, HttpStatusCode.UnprocessableEntity, "poll_not_open");
        var results = await ResultsAsync(a, admin, poll.Id());
        Assert.True(results.GetProperty("final").GetBoolean());
        Assert.Equal(race.Acknowledged, results.GetProperty("totalVotes").GetInt64());
        Assert.Equal(race.Acknowledged, await deployment.ScalarAsync("SELECT count(*) FROM votes.votes WHERE poll_id = $1", poll.Id()));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(results.GetRawText(), (await ResultsAsync(b, admin, poll.Id())).GetRawText());
        var published = await b.Client().GetFromJsonAsync<JsonElement>($"/api/public/polls/{poll.Id()}/results");
        Assert.Equal(race.Acknowledged, published.GetProperty("totalVotes").GetInt64());
    }

    [Fact]
    public async Task An_archive_through_one_instance_cuts_off_votes_through_the_other()
    {
        await using var pair = await TwoInstances.StartAsync();
        var (deployment, a, b, admin) = (pair.Deployment, pair.A, pair.B, pair.Admin);
        var poll = await ApiScript.OpenPollAsync(admin, new { duplicateCheck = "none" });
        Assert.Equal(HttpStatusCode.OK, (await b.Client().GetAsync($"/api/public/polls/{poll.Id()}")).StatusCode);

        var race = await VoteRace.RunAsync(_ => b.Client(), poll.Id(), poll.OptionId(0),
            async () => Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/polls/{poll.Id()}")).StatusCode));

        PollCutOffTests.AssertCutOff(race, HttpStatusCode.NotFound, "not_found");
        await (await b.Client().GetAsync($"/api/public/polls/{poll.Id()}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(race.Acknowledged, await deployment.ScalarAsync("SELECT count(*) FROM votes.votes WHERE poll_id = $1", poll.Id()));
        Assert.Equal(race.Acknowledged, await deployment.ScalarAsync("SELECT total_votes FROM votes.poll_tallies WHERE poll_id = $1 AND final", poll.Id()));
    }

    [Fact]
    public async Task A_scheduled_close_cuts_off_votes_on_both_instances()
    {
        await using var pair = await TwoInstances.StartAsync();
        var (deployment, a, b, admin) = (pair.Deployment, pair.A, pair.B, pair.Admin);
        // A vote through each instance first: in a CI run the fresh processes took no vote in the 6 s before closesAt.
        var warmUp = await ApiScript.OpenPollAsync(admin, new { duplicateCheck = "none" });
        foreach (var host in new[] { a, b })
        {
            Assert.Equal(HttpStatusCode.Created,
                (await host.Client().PostAsJsonAsync($"/api/public/polls/{warmUp.Id()}/votes", new { optionIds = new[] { warmUp.OptionId(0) } })).StatusCode);
        }
        // Room for opening the poll through two busy instances before the votes start.
        var closesAt = DateTimeOffset.UtcNow.AddSeconds(6);
        var poll = await ApiScript.OpenPollAsync(admin, new { duplicateCheck = "none", closesAt });

        var race = await VoteRace.RunAsync(i => i % 2 == 0 ? a.Client() : b.Client(), poll.Id(), poll.OptionId(0),
            VoteRace.Until(closesAt));

        PollCutOffTests.AssertCutOff(race, HttpStatusCode.UnprocessableEntity, "poll_not_open");
        var results = await Eventually.GetAsync(() => ResultsAsync(b, admin, poll.Id()), r => r.GetProperty("final").GetBoolean(), "the results final", seconds: 5);
        Assert.Equal(race.Acknowledged, results.GetProperty("totalVotes").GetInt64());
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(results.GetRawText(), (await ResultsAsync(a, admin, poll.Id())).GetRawText());
    }

    [Fact]
    public async Task A_poll_opened_through_one_instance_is_public_and_takes_votes_through_the_other_at_once()
    {
        await using var pair = await TwoInstances.StartAsync();
        var (deployment, a, b, admin) = (pair.Deployment, pair.A, pair.B, pair.Admin);
        for (var i = 0; i < 20; i++)
        {
            var created = await admin.PostAsJsonAsync("/api/polls", PollBodies.Valid(new { duplicateCheck = "none" }));
            var poll = await created.Content.ReadFromJsonAsync<JsonElement>();
            // B reads the draft first, so B holds it in its cache when the open comes through A.
            await (await b.Client().GetAsync($"/api/public/polls/{poll.Id()}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/polls/{poll.Id()}/open", null)).StatusCode);

            Assert.Equal(HttpStatusCode.OK, (await b.Client().GetAsync($"/api/public/polls/{poll.Id()}")).StatusCode);
            Assert.Equal(HttpStatusCode.Created,
                (await b.Client().PostAsJsonAsync($"/api/public/polls/{poll.Id()}/votes", new { optionIds = new[] { poll.OptionId(0) } })).StatusCode);
        }
    }
}
