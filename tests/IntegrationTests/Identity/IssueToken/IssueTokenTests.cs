namespace IntegrationTests.Identity.IssueToken;

public sealed class IssueTokenTests(ApiFixture api) : IClassFixture<ApiFixture>
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
}
