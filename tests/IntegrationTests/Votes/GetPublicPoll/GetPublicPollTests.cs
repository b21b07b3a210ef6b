namespace IntegrationTests.Votes.GetPublicPoll;

public sealed class GetPublicPollTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task The_public_poll_view_shows_what_voters_need_and_supports_304()
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.OpenPollAsync(new { maxChoices = 2 });
        var response = await api.Anonymous().GetAsync($"/api/public/polls/{poll.Id()}");
        var view = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("open", view.GetProperty("status").GetString());
        Assert.Equal(2, view.GetProperty("maxChoices").GetInt32());
        Assert.True(view.GetProperty("voterKeyRequired").GetBoolean());
        Assert.False(view.TryGetProperty("tenantId", out _));
        Assert.False(view.TryGetProperty("duplicateCheck", out _));

        var revalidate = new HttpRequestMessage(HttpMethod.Get, $"/api/public/polls/{poll.Id()}");
        revalidate.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await api.Anonymous().SendAsync(revalidate)).StatusCode);
    }
}
