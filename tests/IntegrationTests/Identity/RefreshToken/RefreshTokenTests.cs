namespace IntegrationTests.Identity.RefreshToken;

public sealed class RefreshTokenTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Refresh_rotates_and_reusing_a_rotated_token_revokes_the_family()
    {
        var tenant = await api.NewTenantAsync();
        var first = tenant.RefreshToken;
        var second = await RefreshAsync(first);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var secondPair = await second.Content.ReadFromJsonAsync<JsonElement>();
        var secondToken = secondPair.GetProperty("refreshToken").GetString()!;
        Assert.NotEqual(first, secondToken);
        var me = await api.As(secondPair.GetProperty("accessToken").GetString()!).GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);

        await (await RefreshAsync(first)).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        // The thief's replay also cost the legitimate holder their token: the whole family is gone.
        await (await RefreshAsync(secondToken)).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task Concurrent_refreshes_of_one_token_succeed_at_most_once()
    {
        var tenant = await api.NewTenantAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => RefreshAsync(tenant.RefreshToken)));
        Assert.True(responses.Count(r => r.StatusCode == HttpStatusCode.OK) <= 1);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
    }

    [Theory]
    [InlineData("rt_unknown")]
    [InlineData("")]
    public async Task Unknown_or_empty_refresh_tokens_are_refused(string token)
    {
        var response = await RefreshAsync(token);
        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private Task<HttpResponseMessage> RefreshAsync(string token) =>
        api.Anonymous().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = token });
}
