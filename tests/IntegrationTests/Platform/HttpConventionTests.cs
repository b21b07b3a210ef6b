namespace IntegrationTests.Platform;

public sealed class HttpConventionTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Every_response_carries_a_request_id_echoing_a_sane_one_from_the_client()
    {
        var generated = await api.Anonymous().GetAsync("/health/live");
        Assert.False(string.IsNullOrEmpty(generated.Headers.GetValues("X-Request-Id").Single()));

        var request = new HttpRequestMessage(HttpMethod.Get, "/api/public/polls/nope");
        request.Headers.Add("X-Request-Id", "client-abc-123");
        var echoed = await api.Anonymous().SendAsync(request);
        Assert.Equal("client-abc-123", echoed.Headers.GetValues("X-Request-Id").Single());
        var problem = await echoed.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        // traceId is the request's trace id whatever the client calls its request; a trace parent it sends is continued.
        Assert.Matches("^[0-9a-f]{32}$", problem.GetProperty("traceId").GetString());
        var traced = new HttpRequestMessage(HttpMethod.Get, "/api/public/polls/nope");
        traced.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        var continued = await (await api.Anonymous().SendAsync(traced)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", continued.GetProperty("traceId").GetString());

        var hostile = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        hostile.Headers.TryAddWithoutValidation("X-Request-Id", new string('x', 500));
        Assert.NotEqual(new string('x', 500), (await api.Anonymous().SendAsync(hostile)).Headers.GetValues("X-Request-Id").Single());
    }

    [Fact]
    public async Task Unknown_routes_and_wrong_methods_are_problems()
    {
        await (await api.Anonymous().GetAsync("/api/nothing-here")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await api.Anonymous().PutAsJsonAsync("/api/tenants", new { })).AssertProblemAsync(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }

    [Fact]
    public async Task Health_reports_live_and_ready_with_postgres_and_redis_checked()
    {
        Assert.Equal(HttpStatusCode.OK, (await api.Anonymous().GetAsync("/health/live")).StatusCode);
        var ready = await api.Anonymous().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("postgres").GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_openapi_document_describes_every_route_security_problems_and_examples()
    {
        var document = await api.Anonymous().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("Bearer").GetProperty("scheme").GetString());
        Assert.Equal("X-Api-Key", schemes.GetProperty("ApiKey").GetProperty("name").GetString());

        var paths = document.GetProperty("paths");
        string[] routes =
        [
            "/api/tenants", "/api/auth/token", "/api/auth/refresh", "/api/me", "/api/users", "/api/api-keys", "/api/api-keys/{id}",
            "/api/polls", "/api/polls/{pollId}", "/api/polls/{pollId}/open", "/api/polls/{pollId}/close", "/api/polls/{pollId}/results",
            "/api/public/polls/{pollId}", "/api/public/polls/{pollId}/votes", "/api/public/polls/{pollId}/results",
            "/api/public/polls/{pollId}/results/stream", "/api/ops/dead-letters", "/api/ops/dead-letters/{id}/replay",
        ];
        Assert.All(routes, route => Assert.True(paths.TryGetProperty(route, out _), route));

        var createPoll = paths.GetProperty("/api/polls").GetProperty("post");
        Assert.True(createPoll.GetProperty("security").GetArrayLength() > 0);
        Assert.True(createPoll.GetProperty("responses").GetProperty("400").GetProperty("content").TryGetProperty("application/problem+json", out _));
        var example = createPoll.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");
        Assert.Equal("after_vote", example.GetProperty("resultsVisibility").GetString());

        var castVote = paths.GetProperty("/api/public/polls/{pollId}/votes").GetProperty("post");
        Assert.False(castVote.TryGetProperty("security", out _));
        Assert.True(castVote.GetProperty("responses").TryGetProperty("409", out _));
    }
}
