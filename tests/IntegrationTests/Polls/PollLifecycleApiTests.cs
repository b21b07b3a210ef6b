namespace IntegrationTests.Polls;

public sealed class PollLifecycleApiTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Create_returns_201_with_location_etag_and_the_draft()
    {
        var tenant = await api.NewTenantAsync();
        var response = await tenant.Admin().PostAsJsonAsync("/api/polls", PollBodies.Valid(new { description = "Tonight", minChoices = 1, maxChoices = 2 }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var poll = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/api/polls/{poll.Id()}", response.Headers.Location?.OriginalString);
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal("draft", poll.GetProperty("status").GetString());
        Assert.Equal(3, poll.GetProperty("options").GetArrayLength());
        Assert.Equal(2, poll.GetProperty("maxChoices").GetInt32());
        Assert.Equal("always", poll.GetProperty("resultsVisibility").GetString());
        Assert.Equal("voter", poll.GetProperty("duplicateCheck").GetString());
    }

    [Fact]
    public async Task Get_has_an_etag_and_answers_304_to_if_none_match()
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.CreatePollAsync();
        var first = await tenant.Admin().GetAsync($"/api/polls/{poll.Id()}");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var tag = first.Headers.ETag!;

        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/polls/{poll.Id()}");
        request.Headers.IfNoneMatch.Add(tag);
        var second = await tenant.Admin().SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Edits_honour_if_match_and_a_stale_tag_is_412_changing_nothing()
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.CreatePollAsync();
        var tag = (await tenant.Admin().GetAsync($"/api/polls/{poll.Id()}")).Headers.ETag!;

        var edit = new HttpRequestMessage(HttpMethod.Patch, $"/api/polls/{poll.Id()}") { Content = JsonContent.Create(new { question = "Edited?" }) };
        edit.Headers.IfMatch.Add(tag);
        var edited = await tenant.Admin().SendAsync(edit);
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal("Edited?", (await edited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("question").GetString());
        Assert.NotEqual(tag, edited.Headers.ETag);

        var stale = new HttpRequestMessage(HttpMethod.Patch, $"/api/polls/{poll.Id()}") { Content = JsonContent.Create(new { question = "Lost update?" }) };
        stale.Headers.IfMatch.Add(tag);
        await (await tenant.Admin().SendAsync(stale)).AssertProblemAsync(HttpStatusCode.PreconditionFailed, "precondition_failed");
        var now = await tenant.Admin().GetFromJsonAsync<JsonElement>($"/api/polls/{poll.Id()}");
        Assert.Equal("Edited?", now.GetProperty("question").GetString());
    }

    [Fact]
    public async Task Only_drafts_are_edited_and_transitions_follow_draft_open_closed()
    {
        var tenant = await api.NewTenantAsync();
        var admin = tenant.Admin();
        var poll = await tenant.CreatePollAsync();
        var id = poll.Id();
        await (await admin.PostAsync($"/api/polls/{id}/close", null)).AssertProblemAsync(HttpStatusCode.Conflict, "invalid_transition");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/polls/{id}/open", null)).StatusCode);
        await (await admin.PostAsync($"/api/polls/{id}/open", null)).AssertProblemAsync(HttpStatusCode.Conflict, "invalid_transition");
        await (await admin.PatchAsJsonAsync($"/api/polls/{id}", new { question = "Too late?" })).AssertProblemAsync(HttpStatusCode.Conflict, "poll_not_draft");
        var closed = await admin.PostAsync($"/api/polls/{id}/close", null);
        Assert.Equal("closed", (await closed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        await (await admin.PostAsync($"/api/polls/{id}/open", null)).AssertProblemAsync(HttpStatusCode.Conflict, "invalid_transition");
        Assert.Equal("Which is best?", (await admin.GetFromJsonAsync<JsonElement>($"/api/polls/{id}")).GetProperty("question").GetString());
    }

    [Fact]
    public async Task Archiving_removes_the_poll_from_every_view()
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.OpenPollAsync();
        var id = poll.Id();
        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Admin().DeleteAsync($"/api/polls/{id}")).StatusCode);
        await (await tenant.Admin().GetAsync($"/api/polls/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await tenant.Admin().DeleteAsync($"/api/polls/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await tenant.PublicStatusAsync(id, "gone");
        await (await api.Anonymous().GetAsync($"/api/public/polls/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await api.Anonymous().PostAsJsonAsync($"/api/public/polls/{id}/votes", new { optionIds = new[] { poll.OptionId(0) }, voterKey = "v" }))
            .AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        var list = await tenant.Admin().GetStringAsync("/api/polls");
        Assert.DoesNotContain(id.ToString(), list);
    }

    [Fact]
    public async Task Polls_are_listed_newest_first_by_status_in_keyset_pages()
    {
        var tenant = await api.NewTenantAsync();
        var drafts = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            drafts.Add((await tenant.CreatePollAsync()).Id());
        }
        var open = (await tenant.OpenPollAsync()).Id();

        var all = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await tenant.Admin().GetFromJsonAsync<JsonElement>($"/api/polls?limit=3{(cursor is null ? "" : "&cursor=" + cursor)}");
            all.AddRange(page.GetProperty("items").EnumerateArray().Select(p => p.Id()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        Assert.Equal([open, .. Enumerable.Reverse(drafts)], all);

        var onlyOpen = await tenant.Admin().GetFromJsonAsync<JsonElement>("/api/polls?status=open");
        Assert.Equal([open], onlyOpen.GetProperty("items").EnumerateArray().Select(p => p.Id()));
        var onlyDrafts = await tenant.Admin().GetFromJsonAsync<JsonElement>("/api/polls?status=draft");
        Assert.Equal(3, onlyDrafts.GetProperty("items").GetArrayLength());
        await (await tenant.Admin().GetAsync("/api/polls?status=maybe")).AssertInvalidAsync("status");
    }

    [Fact]
    public async Task Viewers_read_while_editors_and_admins_write()
    {
        var tenant = await api.NewTenantAsync();
        var viewer = await tenant.MemberAsync("viewer");
        var editor = await tenant.MemberAsync("editor");
        var poll = await tenant.CreatePollAsync();
        var id = poll.Id();

        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/polls/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/polls")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/polls/{id}/results")).StatusCode);
        await (await viewer.PostAsJsonAsync("/api/polls", PollBodies.Valid())).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await viewer.PatchAsJsonAsync($"/api/polls/{id}", new { question = "Mine?" })).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await viewer.PostAsync($"/api/polls/{id}/open", null)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await viewer.PostAsync($"/api/polls/{id}/close", null)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await viewer.DeleteAsync($"/api/polls/{id}")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");

        Assert.Equal(HttpStatusCode.Created, (await editor.PostAsJsonAsync("/api/polls", PollBodies.Valid())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await editor.PatchAsJsonAsync($"/api/polls/{id}", new { question = "Editor's?" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await editor.PostAsync($"/api/polls/{id}/open", null)).StatusCode);
        Assert.Equal("Editor's?", (await viewer.GetFromJsonAsync<JsonElement>($"/api/polls/{id}")).GetProperty("question").GetString());
    }
}
