namespace IntegrationTests.Platform;

/// <summary>What browsers are told: which sites may call which routes (CORS), and the headers that keep them from misreading an answer.</summary>
public sealed class BrowserHeadersTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static HttpRequestMessage Preflight(string path, string origin, string method) => new(HttpMethod.Options, path)
    {
        Headers =
        {
            { "Origin", origin },
            { "Access-Control-Request-Method", method },
            { "Access-Control-Request-Headers", "content-type,idempotency-key" },
        },
    };

    private static string? AllowedOrigin(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;

    [Fact]
    public async Task A_tenants_site_may_read_and_vote_on_public_polls_from_the_browser()
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.OpenPollAsync();
        var client = api.Anonymous();

        var preflight = await client.SendAsync(Preflight($"/api/public/polls/{poll.Id()}/votes", Deployment.EmbeddingSite, "POST"));
        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal(Deployment.EmbeddingSite, AllowedOrigin(preflight));
        var allowedHeaders = string.Join(",", preflight.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant();
        Assert.Contains("idempotency-key", allowedHeaders, StringComparison.Ordinal);

        var read = new HttpRequestMessage(HttpMethod.Get, $"/api/public/polls/{poll.Id()}") { Headers = { { "Origin", Deployment.EmbeddingSite } } };
        var answer = await client.SendAsync(read);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(Deployment.EmbeddingSite, AllowedOrigin(answer));
        var exposed = string.Join(",", answer.Headers.GetValues("Access-Control-Expose-Headers"));
        Assert.Contains("ETag", exposed, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("RateLimit-Remaining", exposed, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Other_sites_and_member_routes_get_no_cross_origin_permission()
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.OpenPollAsync();
        var client = api.Anonymous();

        var stranger = await client.SendAsync(Preflight($"/api/public/polls/{poll.Id()}/votes", "https://elsewhere.example", "POST"));
        Assert.Null(AllowedOrigin(stranger));
        var member = await client.SendAsync(Preflight("/api/polls", Deployment.EmbeddingSite, "POST"));
        Assert.Null(AllowedOrigin(member));
        var memberRead = new HttpRequestMessage(HttpMethod.Get, "/api/polls") { Headers = { { "Origin", Deployment.EmbeddingSite } } };
        var answer = await tenant.Admin().SendAsync(memberRead);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Null(AllowedOrigin(answer));
    }

    [Theory]
    [InlineData("/api/polls")]
    [InlineData("/api/public/polls/not-an-id")]
    [InlineData("/health/live")]
    public async Task Every_answer_forbids_sniffing_and_referrers_and_is_data_not_a_page(string path)
    {
        var answer = await api.Anonymous().GetAsync(path);
        Assert.Equal("nosniff", answer.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", answer.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", answer.Headers.GetValues("Content-Security-Policy").Single());
    }
}
