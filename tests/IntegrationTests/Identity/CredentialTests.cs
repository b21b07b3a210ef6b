using System.Net.Http.Headers;

namespace IntegrationTests.Identity;

/// <summary>Every kind of bad credential on a members' route is a 401 problem, never a 500 and never access.</summary>
public sealed class CredentialTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Missing_expired_tampered_unsigned_and_foreign_tokens_are_401()
    {
        var tenant = await api.NewTenantAsync();
        string[] tokens =
        [
            Tokens.Forge(tenant.TenantId, tenant.Slug, "admin", DateTime.UtcNow.AddMinutes(-10)),
            Tokens.Tampered(tenant.AccessToken),
            Tokens.Unsigned(tenant.TenantId, tenant.Slug, "admin"),
            Tokens.Forge(tenant.TenantId, tenant.Slug, "admin", DateTime.UtcNow.AddMinutes(10), key: new string('k', 64)),
            Tokens.Forge(tenant.TenantId, tenant.Slug, "admin", DateTime.UtcNow.AddMinutes(10), issuer: "someone-else"),
            "not-a-jwt",
        ];
        foreach (var route in new[] { "/api/me", "/api/polls", "/api/users", "/api/api-keys" })
        {
            await (await api.Anonymous().GetAsync(route)).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
            foreach (var token in tokens)
            {
                await (await api.As(token).GetAsync(route)).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
            }
        }
    }

    [Fact]
    public async Task A_forged_token_signed_with_the_real_key_works_which_shows_the_401s_above_are_about_the_token()
    {
        var tenant = await api.NewTenantAsync();
        var valid = Tokens.Forge(tenant.TenantId, tenant.Slug, "viewer", DateTime.UtcNow.AddMinutes(5));
        Assert.Equal(HttpStatusCode.OK, (await api.As(valid).GetAsync("/api/polls")).StatusCode);
    }

    [Fact]
    public async Task Another_auth_scheme_is_401()
    {
        var client = api.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", "YWRtaW46YWRtaW4=");
        await (await client.GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task An_unknown_or_oversized_api_key_is_401()
    {
        await (await api.WithApiKey("pk_unknown").GetAsync("/api/polls")).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        await (await api.WithApiKey(new string('k', 500)).GetAsync("/api/polls")).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
    }
}
