namespace IntegrationTests.Polls.ExportPoll;

/// <summary>The CSV exports of a poll's results and votes, as an editor downloads them.</summary>
public sealed class ExportPollTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static async Task VoteAsync(HttpClient client, JsonElement poll, int option, string? voterKey) =>
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync($"/api/public/polls/{poll.Id()}/votes",
            new { optionIds = new[] { poll.OptionId(option) }, voterKey })).StatusCode);

    /// <summary>The body's lines, split on the CRLF that RFC 4180 ends each record with.</summary>
    private static async Task<string[]> CsvLinesAsync(HttpResponseMessage response, string fileName)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(fileName, response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var body = await response.Content.ReadAsStringAsync();
        Assert.EndsWith("\r\n", body, StringComparison.Ordinal);
        return body[..^2].Split("\r\n");
    }

    [Fact]
    public async Task The_results_export_has_one_row_per_option_quoted_by_RFC_4180_and_safe_to_open_in_a_spreadsheet()
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.OpenPollAsync(new { options = new[] { new { text = "Yes, \"really\"" }, new { text = "=HYPERLINK(\"x\")" }, new { text = "No" } } });
        var voters = api.Anonymous();
        await VoteAsync(voters, poll, 0, "alice");
        await VoteAsync(voters, poll, 0, "bob");
        await VoteAsync(voters, poll, 2, "carol");
        await tenant.ResultsWhenCountedAsync(poll.Id(), 3);

        var editor = await tenant.MemberAsync("editor");
        var lines = await CsvLinesAsync(await editor.GetAsync($"/api/polls/{poll.Id()}/results.csv"), $"poll-{poll.Id()}-results.csv");
        Assert.Equal(
        [
            "option_id,option,votes,percent",
            $"{poll.OptionId(0)},\"Yes, \"\"really\"\"\",2,66.7",
            $"{poll.OptionId(1)},\"'=HYPERLINK(\"\"x\"\")\",0,0",
            $"{poll.OptionId(2)},No,1,33.3",
        ], lines);
    }

    [Fact]
    public async Task The_votes_export_has_every_vote_in_order_with_voter_keys_hashed_by_a_key_of_the_tenants_own()
    {
        var tenant = await api.NewTenantAsync();
        var first = await tenant.OpenPollAsync();
        var second = await tenant.OpenPollAsync();
        var voters = api.Anonymous();
        await VoteAsync(voters, first, 1, "alice");
        await VoteAsync(voters, first, 0, "bob");
        await VoteAsync(voters, second, 2, "alice");
        var other = await api.NewTenantAsync();
        var elsewhere = await other.OpenPollAsync();
        await VoteAsync(voters, elsewhere, 0, "alice");

        var lines = await CsvLinesAsync(await tenant.Admin().GetAsync($"/api/polls/{first.Id()}/votes.csv"), $"poll-{first.Id()}-votes.csv");
        Assert.Equal("vote_id,cast_at,option_ids,voter", lines[0]);
        var rows = lines[1..].Select(line => line.Split(',')).ToList();
        Assert.Equal([first.OptionId(1).ToString(), first.OptionId(0).ToString()], rows.Select(r => r[2]));
        Assert.True(DateTimeOffset.Parse(rows[0][1]) <= DateTimeOffset.Parse(rows[1][1]));
        Assert.All(rows, r => Assert.Matches("^[0-9a-f]{64}$", r[3]));
        Assert.NotEqual(rows[0][3], rows[1][3]);
        var stored = await api.Deployment.ScalarAsync("SELECT count(*) FROM votes.votes WHERE id = ANY($1)", rows.Select(r => Guid.Parse(r[0])).ToArray());
        Assert.Equal(2, stored);

        // The same voter hashes alike across the tenant's polls, and differently in another tenant's export.
        var again = (await CsvLinesAsync(await tenant.Admin().GetAsync($"/api/polls/{second.Id()}/votes.csv"), $"poll-{second.Id()}-votes.csv"))[1].Split(',');
        Assert.Equal(rows[0][3], again[3]);
        var foreign = (await CsvLinesAsync(await other.Admin().GetAsync($"/api/polls/{elsewhere.Id()}/votes.csv"), $"poll-{elsewhere.Id()}-votes.csv"))[1].Split(',');
        Assert.NotEqual(rows[0][3], foreign[3]);
        Assert.DoesNotContain("alice", string.Join('\n', lines), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("results.csv")]
    [InlineData("votes.csv")]
    public async Task Only_the_tenants_admins_and_editors_get_an_export_of_a_poll_of_theirs(string file)
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.OpenPollAsync();
        var other = await api.NewTenantAsync();

        await (await api.Anonymous().GetAsync($"/api/polls/{poll.Id()}/{file}")).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        await (await (await tenant.MemberAsync("viewer")).GetAsync($"/api/polls/{poll.Id()}/{file}")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await other.Admin().GetAsync($"/api/polls/{poll.Id()}/{file}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await tenant.Admin().GetAsync($"/api/polls/{Guid.CreateVersion7()}/{file}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await tenant.Admin().GetAsync($"/api/polls/not-a-poll/{file}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        var expired = api.As(Tokens.Forge(tenant.TenantId, tenant.Slug, "admin", DateTime.UtcNow.AddMinutes(-10)));
        await (await expired.GetAsync($"/api/polls/{poll.Id()}/{file}")).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
    }
}
