namespace IntegrationTests.Platform;

/// <summary>The document says what the server does, so that generated clients type every error.</summary>
public sealed class OpenApiDocumentTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string ProblemReference = "#/components/schemas/Problem";
    private static readonly string[] Methods = ["get", "put", "post", "patch", "delete"];

    private async Task<JsonElement> DocumentAsync() => await api.Anonymous().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

    private static List<(string Route, string Method, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(item => Methods.Contains(item.Name)).Select(item => (path.Name, item.Name, item.Value)))
            .ToList();

    [Fact]
    public async Task Every_operation_has_a_unique_operation_id_and_a_description()
    {
        var operations = Operations(await DocumentAsync());
        Assert.True(operations.Count >= 25, $"{operations.Count} operations");
        Assert.All(operations, o => Assert.False(string.IsNullOrWhiteSpace(o.Operation.TryGetProperty("description", out var d) ? d.GetString() : null), $"{o.Method} {o.Route} has no description"));
        var ids = operations.Select(o => o.Operation.TryGetProperty("operationId", out var id) ? id.GetString() : null).ToList();
        Assert.All(ids, id => Assert.False(string.IsNullOrEmpty(id)));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Superset(new HashSet<string?>(["createTenant", "issueToken", "createPoll", "openPoll", "closePoll", "getPublicPoll", "castVote", "getPublicResults", "listPolls"]), ids.ToHashSet());
    }

    [Fact]
    public async Task Every_error_response_of_every_operation_is_the_problem_schema()
    {
        var operations = Operations(await DocumentAsync());
        foreach (var (route, method, operation) in operations)
        {
            foreach (var response in operation.GetProperty("responses").EnumerateObject().Where(r => r.Name[0] is '4' or '5'))
            {
                var schema = response.Value.GetProperty("content").GetProperty("application/problem+json").GetProperty("schema");
                Assert.True(schema.TryGetProperty("$ref", out var reference) && reference.GetString() == ProblemReference, $"{method} {route} {response.Name}");
            }
        }
        var createPoll = operations.Single(o => o.Operation.GetProperty("operationId").GetString() == "createPoll").Operation.GetProperty("responses");
        Assert.All(new[] { "400", "401", "403", "413", "415", "422" }, status => Assert.True(createPoll.TryGetProperty(status, out _), status));
        var getPublicPoll = operations.Single(o => o.Operation.GetProperty("operationId").GetString() == "getPublicPoll").Operation;
        Assert.True(getPublicPoll.GetProperty("responses").TryGetProperty("404", out _));
        Assert.False(getPublicPoll.GetProperty("responses").TryGetProperty("401", out _), "a public route does not answer 401");
    }

    [Fact]
    public async Task Path_ids_are_uuids()
    {
        var parameters = Operations(await DocumentAsync())
            .SelectMany(o => o.Operation.TryGetProperty("parameters", out var p) ? p.EnumerateArray().ToList() : [])
            .Where(p => p.GetProperty("in").GetString() == "path").ToList();
        Assert.NotEmpty(parameters);
        Assert.All(parameters, p => Assert.Equal("uuid", p.GetProperty("schema").GetProperty("format").GetString()));
    }

    [Fact]
    public async Task The_problem_schema_has_every_code_and_the_fields_the_server_sends()
    {
        var schema = (await DocumentAsync()).GetProperty("components").GetProperty("schemas").GetProperty("Problem");
        var codes = schema.GetProperty("properties").GetProperty("code").GetProperty("enum").EnumerateArray().Select(c => c.GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?>(["validation_failed", "invalid_credentials", "invalid_token", "forbidden", "not_found", "slug_taken",
            "email_taken", "poll_not_draft", "invalid_transition", "poll_not_open", "already_voted", "results_hidden", "rate_limited",
            "idempotency_key_reused", "precondition_failed", "payload_too_large", "unavailable"]), codes);

        // A real problem from the server: every field it sends is in the schema, and the required ones are there.
        using var response = await api.Anonymous().PostAsJsonAsync("/api/auth/token", new { tenant = "nobody-" + Guid.NewGuid().ToString("N")[..8], email = "a@b.example", password = "wrong password" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var properties = schema.GetProperty("properties");
        Assert.All(problem.EnumerateObject(), field => Assert.True(properties.TryGetProperty(field.Name, out _), field.Name));
        Assert.All(schema.GetProperty("required").EnumerateArray(), field => Assert.True(problem.TryGetProperty(field.GetString()!, out _), field.GetString()));
        Assert.Contains(problem.GetProperty("code").GetString(), codes);
    }

    [Fact]
    public async Task Numbers_are_json_numbers_and_limit_states_its_bounds()
    {
        var document = await DocumentAsync();
        var text = document.GetRawText();
        Assert.DoesNotContain("\"integer\",\"string\"", text.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("\"number\",\"string\"", text.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var listPolls = Operations(document).Single(o => o.Operation.GetProperty("operationId").GetString() == "listPolls").Operation;
        var limit = listPolls.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "limit").GetProperty("schema");
        Assert.Equal("integer", limit.GetProperty("type").GetString());
        Assert.Equal(1, limit.GetProperty("minimum").GetInt32());
        Assert.Equal(100, limit.GetProperty("maximum").GetInt32());
    }

    [Fact]
    public async Task Headers_and_conditional_requests_are_declared_where_the_server_honours_them()
    {
        var operations = Operations(await DocumentAsync()).ToDictionary(o => o.Operation.GetProperty("operationId").GetString()!, o => o.Operation);
        var created = operations["createPoll"].GetProperty("responses").GetProperty("201").GetProperty("headers");
        Assert.True(created.TryGetProperty("ETag", out _) && created.TryGetProperty("Location", out _), created.ToString());
        Assert.True(operations["getPublicPoll"].GetProperty("responses").GetProperty("200").GetProperty("headers").TryGetProperty("ETag", out _));
        // A vote has no URL of its own, and its 201 names none.
        Assert.False(operations["castVote"].GetProperty("responses").GetProperty("201").GetProperty("headers").TryGetProperty("Location", out _));
        Assert.Contains("If-None-Match", HeaderParameters(operations["getPoll"]));
        Assert.Contains("If-None-Match", HeaderParameters(operations["getPublicResults"]));
        Assert.Contains("If-Match", HeaderParameters(operations["editPoll"]));
        Assert.Contains("If-Match", HeaderParameters(operations["closePoll"]));
        Assert.Contains("Idempotency-Key", HeaderParameters(operations["createPoll"]));
        Assert.True(operations["streamPublicResults"].GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("text/event-stream", out _));

        static List<string?> HeaderParameters(JsonElement operation) => operation.GetProperty("parameters").EnumerateArray()
            .Where(p => p.GetProperty("in").GetString() == "header").Select(p => p.GetProperty("name").GetString()).ToList();
    }

    [Fact]
    public async Task Rate_limited_operations_declare_the_RateLimit_headers_and_the_429_with_Retry_After()
    {
        var operations = Operations(await DocumentAsync()).ToDictionary(o => o.Operation.GetProperty("operationId").GetString()!, o => o.Operation);
        foreach (var id in new[] { "getPublicPoll", "castVote", "issueToken", "listPolls", "createApiKey" })
        {
            var responses = operations[id].GetProperty("responses");
            var refused = responses.GetProperty("429");
            Assert.Equal(ProblemReference, refused.GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString());
            Assert.True(refused.GetProperty("headers").TryGetProperty("Retry-After", out _), id);
            foreach (var response in responses.EnumerateObject())
            {
                var headers = response.Value.GetProperty("headers");
                Assert.All(new[] { "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset" }, name => Assert.True(headers.TryGetProperty(name, out _), $"{id} {response.Name} {name}"));
            }
        }
        // The operator's routes are not limited.
        Assert.False(operations.Values.Single(o => o.GetProperty("operationId").GetString() == "listShards").GetProperty("responses").TryGetProperty("429", out _));
    }

    [Fact]
    public async Task Request_bodies_require_what_the_server_requires_and_refuse_null_where_it_does()
    {
        var document = await DocumentAsync();
        var schemas = document.GetProperty("components").GetProperty("schemas");
        static HashSet<string?> Required(JsonElement schema) => schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(e => e.GetString()).ToHashSet() : [];

        var create = schemas.GetProperty("PollFields");
        Assert.Equal(["duplicateCheck", "options", "question", "resultsVisibility"], Required(create).Order());
        Assert.Equal("string", create.GetProperty("properties").GetProperty("question").GetProperty("type").GetString());
        Assert.True(create.GetProperty("properties").GetProperty("resultsVisibility").TryGetProperty("$ref", out _), "a required enum is the enum, not null-or-enum");
        Assert.Equal(1, create.GetProperty("properties").GetProperty("minChoices").GetProperty("default").GetInt32());
        Assert.Equal(["optionIds"], Required(schemas.GetProperty("CastVoteRequest")));
        Assert.Equal(["adminEmail", "adminPassword", "name", "slug"], Required(schemas.GetProperty("RegisterTenantRequest")).Order());

        var edit = document.GetProperty("paths").GetProperty("/api/polls/{pollId}").GetProperty("patch").GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString();
        Assert.Equal("#/components/schemas/PollFieldsPatch", edit);
        Assert.Empty(Required(schemas.GetProperty("PollFieldsPatch")));
    }

    [Fact]
    public async Task Spectral_with_the_oas_ruleset_finds_no_error_and_no_warning()
    {
        var document = Path.Combine(Path.GetTempPath(), $"openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(document, await api.Anonymous().GetStringAsync("/openapi/v1.json"));
        try
        {
            var tools = Path.Combine(Repository.Root, "tests", "OpenApi");
            var (exitCode, output, error) = await ToolProcess.RunAsync(Path.Combine(tools, "node_modules", ".bin", "spectral"), tools,
                ["lint", document, "--ruleset", ".spectral.yaml", "--format", "json", "--fail-severity", "warn", "--quiet"]);
            var results = JsonDocument.Parse(output).RootElement;
            Assert.True(exitCode == 0 && results.GetArrayLength() == 0, $"spectral exited with {exitCode}: {results} {error}");
        }
        finally
        {
            File.Delete(document);
        }
    }
}
