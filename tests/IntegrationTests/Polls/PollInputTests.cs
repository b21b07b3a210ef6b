using System.Text;

namespace IntegrationTests.Polls;

/// <summary>Bad input on the Polls routes: the right 4xx problem, naming the field, and nothing written.</summary>
public sealed class PollInputTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    public static TheoryData<string, string> InvalidCreates => new()
    {
        { """{"question":null}""", "question" },
        { """{"question":""}""", "question" },
        { $$"""{"question":"{{new string('q', 501)}}"}""", "question" },
        { $$"""{"description":"{{new string('d', 2001)}}"}""", "description" },
        { """{"options":null}""", "options" },
        { """{"options":[{"text":"only one"}]}""", "options" },
        { """{"options":[{"text":"A"},{"text":""}]}""", "options[1].text" },
        { """{"options":[{"text":"A"},{"text":"a"}]}""", "options[1].text" },
        { """{"options":[{"text":"A"},null]}""", "options[1].text" },
        { $$"""{"options":[{"text":"A"},{"text":"{{new string('o', 201)}}"}]}""", "options[1].text" },
        { """{"minChoices":0}""", "minChoices" },
        { """{"minChoices":3,"maxChoices":2}""", "maxChoices" },
        { """{"maxChoices":4}""", "maxChoices" },
        { """{"closesAt":"2001-01-01T00:00:00Z"}""", "closesAt" },
        { """{"opensAt":"2098-01-01T00:00:00Z","closesAt":"2097-01-01T00:00:00Z"}""", "closesAt" },
        { """{"resultsVisibility":null}""", "resultsVisibility" },
        { """{"resultsVisibility":"sometimes"}""", "resultsVisibility" },
        { """{"duplicateCheck":"cookie"}""", "duplicateCheck" },
        { """{"duplicateCheck":2}""", "duplicateCheck" },
        { """{"minChoices":"one"}""", "minChoices" },
        { """{"closesAt":"tomorrow"}""", "closesAt" },
        { """{"options":"A,B"}""", "options" },
    };

    [Theory]
    [MemberData(nameof(InvalidCreates))]
    public async Task Invalid_creates_are_400_naming_the_field_and_store_nothing(string overrides, string field)
    {
        var tenant = await api.NewTenantAsync();
        var body = PollBodies.Valid(JsonSerializer.Deserialize<JsonElement>(overrides));
        var response = await tenant.Admin().PostAsync("/api/polls", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        await response.AssertInvalidAsync(field);
        var list = await tenant.Admin().GetFromJsonAsync<JsonElement>("/api/polls");
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("{\"question\":")]
    [InlineData("[1,2]")]
    [InlineData("")]
    public async Task Malformed_bodies_are_400(string json)
    {
        var tenant = await api.NewTenantAsync();
        var response = await tenant.Admin().PostAsync("/api/polls", new StringContent(json, Encoding.UTF8, "application/json"));
        await response.AssertInvalidAsync(Problems.AnyField);
    }

    [Fact]
    public async Task An_invalid_edit_is_400_and_leaves_the_draft_as_it_was()
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.CreatePollAsync();
        var before = await tenant.Admin().GetStringAsync($"/api/polls/{poll.Id()}");
        var response = await tenant.Admin().PatchAsJsonAsync($"/api/polls/{poll.Id()}", new { question = "Fine?", maxChoices = 9 });
        await response.AssertInvalidAsync("maxChoices");
        Assert.Equal(before, await tenant.Admin().GetStringAsync($"/api/polls/{poll.Id()}"));
    }

    [Fact]
    public async Task An_oversized_edit_is_413()
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.CreatePollAsync();
        var response = await tenant.Admin().PatchAsJsonAsync($"/api/polls/{poll.Id()}", new { description = new string('d', 80_000) });
        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("PATCH", "")]
    [InlineData("POST", "/open")]
    [InlineData("POST", "/close")]
    [InlineData("DELETE", "")]
    [InlineData("GET", "/results")]
    public async Task Unknown_malformed_and_foreign_poll_ids_are_404(string method, string suffix)
    {
        var tenant = await api.NewTenantAsync();
        var other = await api.NewTenantAsync();
        var foreign = await other.CreatePollAsync();
        foreach (var id in new[] { Guid.NewGuid().ToString(), "not-a-poll", "1", foreign.Id().ToString() })
        {
            var request = new HttpRequestMessage(new HttpMethod(method), $"/api/polls/{id}{suffix}");
            if (method == "PATCH")
            {
                request.Content = JsonContent.Create(new { question = "Hijacked?" });
            }
            await (await tenant.Admin().SendAsync(request)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        }
        var untouched = await other.Admin().GetFromJsonAsync<JsonElement>($"/api/polls/{foreign.Id()}");
        Assert.Equal("Which is best?", untouched.GetProperty("question").GetString());
        Assert.Equal("draft", untouched.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_tenants_list_never_shows_another_tenants_polls()
    {
        var tenant = await api.NewTenantAsync();
        var other = await api.NewTenantAsync();
        var theirs = await other.CreatePollAsync();
        var mine = await tenant.CreatePollAsync();
        var list = await tenant.Admin().GetFromJsonAsync<JsonElement>("/api/polls?limit=100");
        var ids = list.GetProperty("items").EnumerateArray().Select(p => p.Id()).ToList();
        Assert.Equal([mine.Id()], ids);
        Assert.DoesNotContain(theirs.Id(), ids);
    }

    [Fact]
    public async Task A_query_value_of_the_wrong_type_is_a_validation_problem_naming_the_parameter()
    {
        var tenant = await api.NewTenantAsync();
        var problem = await (await tenant.Admin().GetAsync("/api/polls?limit=abc")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal("The parameter limit could not be read.", problem.GetProperty("detail").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("limit", out _), problem.ToString());
    }
}
