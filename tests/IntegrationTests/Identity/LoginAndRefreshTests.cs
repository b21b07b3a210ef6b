using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationTests.Fixtures;

namespace IntegrationTests.Identity;

public sealed class LoginAndRefreshTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Login_returns_a_bearer_pair()
    {
        var tenant = await api.NewTenantAsync();
        var tokens = await api.LoginAsync(tenant.Slug, tenant.AdminEmail, ApiFixture.Password);
        Assert.Equal("Bearer", tokens.GetProperty("tokenType").GetString());
        Assert.Equal(900, tokens.GetProperty("expiresIn").GetInt32());
        Assert.StartsWith("rt_", tokens.GetProperty("refreshToken").GetString());
    }

    [Fact]
    public async Task Wrong_password_unknown_email_and_unknown_tenant_get_the_same_401()
    {
        var tenant = await api.NewTenantAsync();
        object[] attempts =
        [
            new { tenant = tenant.Slug, email = tenant.AdminEmail, password = "wrong password!!" },
            new { tenant = tenant.Slug, email = "nobody@example.com", password = ApiFixture.Password },
            new { tenant = "no-such-tenant", email = tenant.AdminEmail, password = ApiFixture.Password },
        ];
        var bodies = new List<string>();
        foreach (var attempt in attempts)
        {
            var body = await (await api.Anonymous().PostAsJsonAsync("/api/auth/token", attempt)).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
            bodies.Add(body.GetProperty("title").GetString() + body.GetProperty("detail").GetString());
        }
        Assert.Single(bodies.Distinct());
    }

    [Fact]
    public async Task Login_with_missing_fields_is_400()
    {
        var response = await api.Anonymous().PostAsJsonAsync("/api/auth/token", new { tenant = "x" });
        await response.AssertInvalidAsync("email");
    }

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
