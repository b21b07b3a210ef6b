using System.Text;

namespace IntegrationTests.Webhooks;

/// <summary>
/// Bad input on every webhook route gets a problem and writes nothing, under the production rules: https only, no
/// private, loopback, link-local or metadata address.
/// </summary>
public sealed class WebhookInputTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    // A public address literal: it resolves to itself, so no name lookup is involved.
    private const string PublicUrl = "https://203.0.114.10/hooks";

    private static StringContent Raw(string json) => new(json, Encoding.UTF8, "application/json");

    private Task<long> EndpointsStoredAsync(Guid tenantId) =>
        api.Deployment.ScalarAsync("SELECT count(*) FROM webhooks.endpoints WHERE tenant_id = $1", tenantId);

    [Theory]
    [InlineData("https://127.0.0.1/hook")]
    [InlineData("https://10.0.0.1/hook")]
    [InlineData("https://192.168.1.20/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://[fd00::1]/hook")]
    [InlineData("https://[::ffff:10.0.0.1]/hook")]
    [InlineData("https://localhost/hook")]
    [InlineData("http://203.0.114.10/hook")]
    [InlineData("ftp://203.0.114.10/hook")]
    [InlineData("https://user:pass@203.0.114.10/hook")]
    [InlineData("/relative/hook")]
    [InlineData("not a url")]
    public async Task A_url_the_service_may_not_call_is_400_and_stores_nothing(string url)
    {
        var tenant = await api.NewTenantAsync();
        var response = await tenant.Admin().PostAsJsonAsync("/api/webhooks", new { url, events = new[] { "poll.closed" } });
        await response.AssertInvalidAsync("url");
        Assert.Equal(0, await EndpointsStoredAsync(tenant.TenantId));
    }

    [Theory]
    [InlineData("""{"events":["poll.closed"]}""", "url")]
    [InlineData("""{"url":"https://203.0.114.10/hooks"}""", "events")]
    [InlineData("""{"url":"https://203.0.114.10/hooks","events":[]}""", "events")]
    [InlineData("""{"url":"https://203.0.114.10/hooks","events":["poll.exploded"]}""", "events")]
    [InlineData("""{"url":"https://203.0.114.10/hooks","events":[null]}""", "events")]
    [InlineData("""{"url":"https://203.0.114.10/hooks","events":"poll.closed"}""", Problems.AnyField)]
    [InlineData("""{"url":42,"events":["poll.closed"]}""", Problems.AnyField)]
    [InlineData("""{"url":"https://203.0.114.10/hooks","events":["poll.closed"]""", Problems.AnyField)]
    [InlineData("[]", Problems.AnyField)]
    public async Task A_malformed_or_incomplete_registration_is_400_and_stores_nothing(string json, string field)
    {
        var tenant = await api.NewTenantAsync();
        await (await tenant.Admin().PostAsync("/api/webhooks", Raw(json))).AssertInvalidAsync(field);
        Assert.Equal(0, await EndpointsStoredAsync(tenant.TenantId));
    }

    [Fact]
    public async Task Oversized_fields_are_400()
    {
        var tenant = await api.NewTenantAsync();
        var admin = tenant.Admin();
        await (await admin.PostAsJsonAsync("/api/webhooks", new { url = PublicUrl, events = new[] { "poll.closed" }, description = new string('d', 501) }))
            .AssertInvalidAsync("description");
        await (await admin.PostAsJsonAsync("/api/webhooks", new { url = PublicUrl + "/" + new string('p', 2048), events = new[] { "poll.closed" } }))
            .AssertInvalidAsync("url");
        Assert.Equal(0, await EndpointsStoredAsync(tenant.TenantId));
    }

    [Fact]
    public async Task Registration_answers_the_secret_once_and_the_list_never_shows_it()
    {
        var tenant = await api.NewTenantAsync();
        var created = await tenant.Admin().PostAsJsonAsync("/api/webhooks", new { url = PublicUrl, events = new[] { "results.final", "poll.closed", "poll.closed" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Matches("^whsec_[A-Za-z0-9+/]{43}=$", body.GetProperty("secret").GetString());
        Assert.Equal(["poll.closed", "results.final"], body.GetProperty("events").EnumerateArray().Select(e => e.GetString()));

        var listed = await tenant.Admin().GetStringAsync("/api/webhooks");
        Assert.DoesNotContain(body.GetProperty("secret").GetString()!, listed, StringComparison.Ordinal);
        var only = JsonDocument.Parse(listed).RootElement.EnumerateArray().Single();
        Assert.Equal(PublicUrl, only.GetProperty("url").GetString());
        Assert.True(only.GetProperty("enabled").GetBoolean());
        Assert.Empty((await tenant.Admin().GetFromJsonAsync<JsonElement>($"/api/webhooks/{body.GetProperty("id").GetGuid()}/deliveries")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Only_admins_manage_webhooks_and_only_with_valid_credentials()
    {
        var tenant = await api.NewTenantAsync();
        var editor = await tenant.MemberAsync("editor");
        var body = new { url = PublicUrl, events = new[] { "poll.closed" } };
        await (await editor.PostAsJsonAsync("/api/webhooks", body)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await editor.GetAsync("/api/webhooks")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await api.Anonymous().PostAsJsonAsync("/api/webhooks", body)).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        await (await api.As("not-a-token").GetAsync("/api/webhooks")).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        var expired = api.As(Tokens.Forge(tenant.TenantId, tenant.Slug, "admin", DateTime.UtcNow.AddMinutes(-10)));
        await (await expired.PostAsJsonAsync("/api/webhooks", body)).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        Assert.Equal(0, await EndpointsStoredAsync(tenant.TenantId));
    }

    [Theory]
    [InlineData("DELETE", "")]
    [InlineData("POST", "/rotate-secret")]
    [InlineData("POST", "/enable")]
    [InlineData("GET", "/deliveries")]
    public async Task Unknown_malformed_and_foreign_webhook_ids_are_404_and_change_nothing(string method, string suffix)
    {
        var tenant = await api.NewTenantAsync();
        var other = await api.NewTenantAsync();
        var foreign = await (await other.Admin().PostAsJsonAsync("/api/webhooks", new { url = PublicUrl, events = new[] { "poll.closed" } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        foreach (var id in new[] { Guid.NewGuid().ToString(), "not-an-id", foreign.GetProperty("id").GetString() })
        {
            var response = await tenant.Admin().SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/api/webhooks/{id}{suffix}"));
            await response.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        }
        Assert.Equal(1, await api.Deployment.ScalarAsync("SELECT count(*) FROM webhooks.endpoints WHERE id = $1 AND secret = $2",
            foreign.GetProperty("id").GetGuid(), foreign.GetProperty("secret").GetString()!));
    }

    [Fact]
    public async Task A_tenant_past_its_number_of_endpoints_gets_409()
    {
        var tenant = await api.NewTenantAsync();
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await tenant.Admin().PostAsJsonAsync("/api/webhooks", new { url = $"{PublicUrl}/{i}", events = new[] { "poll.closed" } })).StatusCode);
        }
        var refused = await tenant.Admin().PostAsJsonAsync("/api/webhooks", new { url = PublicUrl, events = new[] { "poll.closed" } });
        await refused.AssertProblemAsync(HttpStatusCode.Conflict, "limit_reached");
        Assert.Equal(20, await EndpointsStoredAsync(tenant.TenantId));
    }

    [Fact]
    public async Task Registrations_at_once_never_go_past_the_number_of_endpoints()
    {
        var tenant = await api.NewTenantAsync();
        var admin = tenant.Admin();
        // Forty at once against a pool of twenty connections: on a busy machine some wait past the pool's timeout and
        // are told 503 with Retry-After, which writes nothing; like any client, retry those.
        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Retrying.WhileUnavailableAsync(
            () => admin.PostAsJsonAsync("/api/webhooks", new { url = $"{PublicUrl}/{i}", events = new[] { "poll.closed" } }),
            attempts: 11, TimeSpan.FromMilliseconds(200))));
        Assert.Equal(20, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.Created))
        {
            await refused.AssertProblemAsync(HttpStatusCode.Conflict, "limit_reached");
        }
        Assert.Equal(20, await EndpointsStoredAsync(tenant.TenantId));
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=101")]
    [InlineData("cursor=nonsense")]
    public async Task A_bad_page_of_deliveries_is_400(string query)
    {
        var tenant = await api.NewTenantAsync();
        var created = await (await tenant.Admin().PostAsJsonAsync("/api/webhooks", new { url = PublicUrl, events = new[] { "poll.closed" } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        await (await tenant.Admin().GetAsync($"/api/webhooks/{created.GetProperty("id").GetGuid()}/deliveries?{query}")).AssertInvalidAsync(query.Split('=')[0]);
    }
}
