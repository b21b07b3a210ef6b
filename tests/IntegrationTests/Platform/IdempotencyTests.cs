using System.Text;

namespace IntegrationTests.Platform;

/// <summary>Idempotency-Key on the create routes: a retried request creates nothing new and gets the original answer.</summary>
public sealed class IdempotencyTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static HttpRequestMessage Post(string route, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    [Fact]
    public async Task A_repeated_poll_create_returns_the_original_response_and_creates_one_poll()
    {
        var tenant = await api.NewTenantAsync();
        var key = Guid.NewGuid().ToString();
        var first = await tenant.Admin().SendAsync(Post("/api/polls", PollBodies.Valid(), key));
        var second = await tenant.Admin().SendAsync(Post("/api/polls", PollBodies.Valid(), key));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        var list = await tenant.Admin().GetFromJsonAsync<JsonElement>("/api/polls");
        Assert.Equal(1, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_422_and_creates_nothing()
    {
        var tenant = await api.NewTenantAsync();
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Created, (await tenant.Admin().SendAsync(Post("/api/polls", PollBodies.Valid(), key))).StatusCode);
        var other = await tenant.Admin().SendAsync(Post("/api/polls", PollBodies.Valid(new { question = "Another?" }), key));
        await other.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        var list = await tenant.Admin().GetFromJsonAsync<JsonElement>("/api/polls");
        Assert.Equal(1, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_retried_vote_gets_its_original_201_rather_than_already_voted()
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.OpenPollAsync();
        var key = Guid.NewGuid().ToString();
        var body = new { optionIds = new[] { poll.OptionId(0) }, voterKey = "flaky-network" };
        var first = await api.Anonymous().SendAsync(Post($"/api/public/polls/{poll.Id()}/votes", body, key));
        var retry = await api.Anonymous().SendAsync(Post($"/api/public/polls/{poll.Id()}/votes", body, key));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        await (await api.Anonymous().PostAsJsonAsync($"/api/public/polls/{poll.Id()}/votes", body)).AssertProblemAsync(HttpStatusCode.Conflict, "already_voted");
        Assert.Equal(1, await api.VotesStoredAsync(poll.Id()));
    }

    [Fact]
    public async Task Keys_belong_to_their_caller()
    {
        var one = await api.NewTenantAsync();
        var two = await api.NewTenantAsync();
        var key = Guid.NewGuid().ToString();
        var mine = await one.Admin().SendAsync(Post("/api/polls", PollBodies.Valid(), key));
        var theirs = await two.Admin().SendAsync(Post("/api/polls", PollBodies.Valid(), key));
        Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);
        Assert.False(theirs.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual(mine.Headers.Location, theirs.Headers.Location);
    }

    [Fact]
    public async Task An_oversized_key_is_400()
    {
        var tenant = await api.NewTenantAsync();
        var response = await tenant.Admin().SendAsync(Post("/api/polls", PollBodies.Valid(), new string('k', 256)));
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task A_rejected_request_is_remembered_too_so_a_corrected_body_needs_a_new_key()
    {
        var tenant = await api.NewTenantAsync();
        var key = Guid.NewGuid().ToString();
        var invalid = PollBodies.Valid(new { options = Array.Empty<object>() });
        var first = await tenant.Admin().SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/polls")
        {
            Content = new StringContent(invalid.ToJsonString(), Encoding.UTF8, "application/json"),
            Headers = { { "Idempotency-Key", key } },
        });
        await first.AssertInvalidAsync("options");
        var corrected = await tenant.Admin().SendAsync(Post("/api/polls", PollBodies.Valid(), key));
        await corrected.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
    }
}
