using System.Text;

namespace IntegrationTests.Votes.CastVote;

public sealed class CastVoteTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private Task<HttpResponseMessage> VoteAsync(Guid pollId, object body, string? peer = null, string? forwardedFor = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/public/polls/{pollId}/votes") { Content = JsonContent.Create(body) };
        if (peer is not null)
        {
            request.Headers.Add(ApiFactory.PeerAddressHeader, peer);
        }
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        return api.Anonymous().SendAsync(request);
    }

    /// <summary>Waits for the tally to reach the expected count, then checks that it is also what was stored.</summary>
    private async Task AssertCountedAsync(TenantSession tenant, Guid pollId, long expected)
    {
        await tenant.ResultsWhenCountedAsync(pollId, expected);
        Assert.Equal(expected, await api.VotesStoredAsync(pollId));
    }

    [Fact]
    public async Task Forty_identical_concurrent_votes_give_one_201_and_thirty_nine_409s()
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.OpenPollAsync();
        var body = new { optionIds = new[] { poll.OptionId(0) }, voterKey = "same-device" };
        // All forty wait at one gate and are released together, so they really race.
        using var gate = new ManualResetEventSlim();
        var voters = Enumerable.Range(0, 40).Select(_ => Task.Run(() =>
        {
            gate.Wait();
            return VoteAsync(poll.Id(), body);
        })).ToArray();
        gate.Set();
        var responses = await Task.WhenAll(voters);

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await refused.AssertProblemAsync(HttpStatusCode.Conflict, "already_voted");
        }
        await AssertCountedAsync(tenant, poll.Id(), 1);
    }

    [Fact]
    public async Task The_ip_check_uses_the_peer_address_and_trusts_forwarded_for_only_from_known_proxies()
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.OpenPollAsync(new { duplicateCheck = "ip" });
        var body = new { optionIds = new[] { poll.OptionId(0) } };

        Assert.Equal(HttpStatusCode.Created, (await VoteAsync(poll.Id(), body, peer: "198.51.100.1")).StatusCode);
        await (await VoteAsync(poll.Id(), body, peer: "198.51.100.1")).AssertProblemAsync(HttpStatusCode.Conflict, "already_voted");
        // A client cannot pretend to be someone else by sending the header itself.
        await (await VoteAsync(poll.Id(), body, peer: "198.51.100.1", forwardedFor: "203.0.113.50")).AssertProblemAsync(HttpStatusCode.Conflict, "already_voted");
        Assert.Equal(HttpStatusCode.Created, (await VoteAsync(poll.Id(), body, peer: "198.51.100.2")).StatusCode);
        // Behind the configured proxy, each forwarded client counts once.
        Assert.Equal(HttpStatusCode.Created, (await VoteAsync(poll.Id(), body, peer: "10.9.9.9", forwardedFor: "203.0.113.1")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await VoteAsync(poll.Id(), body, peer: "10.9.9.9", forwardedFor: "203.0.113.2")).StatusCode);
        await (await VoteAsync(poll.Id(), body, peer: "10.9.9.9", forwardedFor: "203.0.113.2")).AssertProblemAsync(HttpStatusCode.Conflict, "already_voted");
        await AssertCountedAsync(tenant, poll.Id(), 4);
    }

    [Fact]
    public async Task With_no_duplicate_check_every_vote_counts()
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.OpenPollAsync(new { duplicateCheck = "none" });
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await VoteAsync(poll.Id(), new { optionIds = new[] { poll.OptionId(2) }, voterKey = "same" })).StatusCode);
        }
        await AssertCountedAsync(tenant, poll.Id(), 3);
    }

    [Fact]
    public async Task Multi_choice_ballots_count_each_option_and_percent_is_of_ballots()
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.OpenPollAsync(new { maxChoices = 2, duplicateCheck = "none" });
        await VoteAsync(poll.Id(), new { optionIds = new[] { poll.OptionId(0), poll.OptionId(1) } });
        await VoteAsync(poll.Id(), new { optionIds = new[] { poll.OptionId(0) } });
        var results = await Eventually.GetAsync(
            () => api.Anonymous().GetFromJsonAsync<JsonElement>($"/api/public/polls/{poll.Id()}/results"),
            r => r.GetProperty("totalVotes").GetInt64() == 2, "2 ballots counted");
        var options = results.GetProperty("options").EnumerateArray().ToList();
        Assert.Equal([2L, 1L, 0L], options.Select(o => o.GetProperty("votes").GetInt64()));
        Assert.Equal([100.0, 50.0, 0.0], options.Select(o => o.GetProperty("percent").GetDouble()));
    }

    [Fact]
    public async Task Drafts_are_invisible_and_closed_or_not_yet_open_polls_refuse_votes()
    {
        var tenant = await api.NewTenantAsync();
        var draft = await tenant.CreatePollAsync();
        await (await api.Anonymous().GetAsync($"/api/public/polls/{draft.Id()}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await VoteAsync(draft.Id(), new { optionIds = new[] { draft.OptionId(0) }, voterKey = "v" })).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await api.Anonymous().GetAsync($"/api/public/polls/{draft.Id()}/results")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");

        var closed = await tenant.OpenPollAsync();
        await tenant.ClosePollAsync(closed.Id());
        await (await VoteAsync(closed.Id(), new { optionIds = new[] { closed.OptionId(0) }, voterKey = "v" })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "poll_not_open");

        var later = await tenant.OpenPollAsync(new { opensAt = DateTimeOffset.UtcNow.AddDays(1) });
        await (await VoteAsync(later.Id(), new { optionIds = new[] { later.OptionId(0) }, voterKey = "v" })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "poll_not_open");
        Assert.Equal(0, await api.VotesStoredAsync(closed.Id()));
    }

    [Fact]
    public async Task A_poll_past_its_closing_time_refuses_votes_and_reports_closed()
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.OpenPollAsync(new { closesAt = DateTimeOffset.UtcNow.AddSeconds(2) });
        Assert.Equal(HttpStatusCode.Created, (await VoteAsync(poll.Id(), new { optionIds = new[] { poll.OptionId(0) }, voterKey = "early" })).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        await (await VoteAsync(poll.Id(), new { optionIds = new[] { poll.OptionId(0) }, voterKey = "late" })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "poll_not_open");
        var view = await api.Anonymous().GetFromJsonAsync<JsonElement>($"/api/public/polls/{poll.Id()}");
        Assert.Equal("closed", view.GetProperty("status").GetString());
        var results = await api.Anonymous().GetFromJsonAsync<JsonElement>($"/api/public/polls/{poll.Id()}/results");
        Assert.True(results.GetProperty("final").GetBoolean());
    }

    public static TheoryData<string, string> InvalidBallots => new()
    {
        { """{"voterKey":"v"}""", "optionIds" },
        { """{"optionIds":[],"voterKey":"v"}""", "optionIds" },
        { """{"optionIds":["{0}","{0}"],"voterKey":"v"}""", "optionIds" },
        { """{"optionIds":["{0}","{1}"],"voterKey":"v"}""", "optionIds" },
        { """{"optionIds":["00000000-0000-0000-0000-000000000001"],"voterKey":"v"}""", "optionIds" },
        { """{"optionIds":["{0}"]}""", "voterKey" },
        { """{"optionIds":["{0}"],"voterKey":""}""", "voterKey" },
        { """{"optionIds":["{0}"],"voterKey":"{long}"}""", "voterKey" },
        { """{"optionIds":["not-a-guid"],"voterKey":"v"}""", "optionIds[0]" },
        { """{"optionIds":"{0}","voterKey":"v"}""", "optionIds" },
        { """{"optionIds":["{0}"],"voterKey":42}""", "voterKey" },
        { """{"optionIds":["{0}"],""", Problems.AnyField },
    };

    [Theory]
    [MemberData(nameof(InvalidBallots))]
    public async Task Invalid_ballots_are_400_and_count_nothing(string template, string field)
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.OpenPollAsync();
        var json = template.Replace("{0}", poll.OptionId(0).ToString()).Replace("{1}", poll.OptionId(1).ToString())
            .Replace("{long}", new string('k', 129));
        var response = await api.Anonymous().PostAsync($"/api/public/polls/{poll.Id()}/votes", new StringContent(json, Encoding.UTF8, "application/json"));
        await response.AssertInvalidAsync(field);
        Assert.Equal(0, await api.VotesStoredAsync(poll.Id()));
    }

    [Fact]
    public async Task An_option_of_another_poll_is_400()
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.OpenPollAsync();
        var other = await tenant.OpenPollAsync();
        await (await VoteAsync(poll.Id(), new { optionIds = new[] { other.OptionId(0) }, voterKey = "v" })).AssertInvalidAsync("optionIds");
    }

    [Theory]
    [InlineData("not-a-poll")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    public async Task Unknown_and_malformed_poll_ids_are_404_on_every_public_route(string id)
    {
        await (await api.Anonymous().GetAsync($"/api/public/polls/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await api.Anonymous().GetAsync($"/api/public/polls/{id}/results")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        var vote = await api.Anonymous().PostAsJsonAsync($"/api/public/polls/{id}/votes", new { optionIds = new[] { Guid.NewGuid() }, voterKey = "v" });
        await vote.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task An_oversized_ballot_is_413()
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.OpenPollAsync();
        var response = await VoteAsync(poll.Id(), new { optionIds = new[] { poll.OptionId(0) }, voterKey = new string('k', 70_000) });
        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        Assert.Equal(0, await api.VotesStoredAsync(poll.Id()));
    }
}
