namespace IntegrationTests.Webhooks;

/// <summary>A Host process with webhooks that may call a local receiver, retry after a second and give up after three failures.</summary>
public sealed class WebhookHost : IAsyncLifetime
{
    public const int DisableAfterFailures = 3;

    public HostProcess Host { get; private set; } = null!;

    /// <summary>The settings of every webhook test's Host.</summary>
    public static IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
        {
            ["Webhooks:AllowHttp"] = "true",
            ["Webhooks:AllowLoopback"] = "true",
            ["Webhooks:RetryDelays:0"] = "00:00:01",
            ["Webhooks:RetryDelays:1"] = "00:00:01",
            ["Webhooks:RetryDelays:2"] = "00:00:01",
            ["Webhooks:DisableAfterFailures"] = DisableAfterFailures.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Webhooks:PollInterval"] = "00:00:00.200",
            ["Webhooks:Timeout"] = "00:00:03",
        };

    public async Task InitializeAsync() => Host = await HostProcess.StartAsync(await Deployment.CreateAsync(), Settings);

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// Deliveries as a tenant's receiver sees them: signed Standard Webhooks requests for the events it subscribed to,
/// retried after a failure with the same id, the endpoint disabled after repeated failures, and secrets rotated
/// without a gap. Each test has a receiver (a host and port) of its own, so one test's failures do not open the
/// circuit breaker on another's.
/// </summary>
public sealed class WebhookDeliveryTests(WebhookHost fixture) : IClassFixture<WebhookHost>
{
    private static async Task<(string Id, string Secret)> RegisterAsync(HttpClient admin, string url, params string[] events)
    {
        var response = await admin.PostAsJsonAsync("/api/webhooks", new { url, events, description = "test receiver" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/api/webhooks/{body.GetProperty("id").GetGuid()}", response.Headers.Location?.OriginalString);
        return (body.GetProperty("id").GetString()!, body.GetProperty("secret").GetString()!);
    }

    private static Task<IReadOnlyList<ReceivedWebhook>> ReceivedAsync(WebhookReceiver receiver, string path, int count, double seconds = 15) =>
        Eventually.GetAsync(() => Task.FromResult(receiver.On(path)), r => r.Count >= count, $"{count} request(s) on {path}", seconds);

    private static async Task<JsonElement[]> AttemptsAsync(HttpClient admin, string webhookId) =>
        (await admin.GetFromJsonAsync<JsonElement>($"/api/webhooks/{webhookId}/deliveries"))!.GetProperty("items").EnumerateArray().ToArray();

    private static JsonElement Json(ReceivedWebhook request) => JsonDocument.Parse(request.Body).RootElement;

    [Fact]
    public async Task Opening_and_closing_a_poll_sends_signed_poll_events_and_the_final_results()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await ApiScript.AdminOfNewTenantAsync(fixture.Host);
        var (webhookId, secret) = await RegisterAsync(admin, receiver.Url("/events"), "poll.opened", "poll.closed", "results.final");
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);

        var poll = await ApiScript.OpenPollAsync(admin, new { duplicateCheck = "none" });
        var voters = fixture.Host.Client();
        foreach (var option in new[] { 0, 0, 1 })
        {
            Assert.Equal(HttpStatusCode.Created, (await voters.PostAsJsonAsync($"/api/public/polls/{poll.Id()}/votes", new { optionIds = new[] { poll.OptionId(option) } })).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/polls/{poll.Id()}/close", null)).StatusCode);

        var received = await ReceivedAsync(receiver, "/events", 3);
        Assert.All(received, request =>
        {
            Assert.Equal(1, StandardWebhooks.VerifiedSignatures(request, secret));
            Assert.True(StandardWebhooks.IsFresh(request));
            Assert.StartsWith("application/json", request.Header("content-type"), StringComparison.Ordinal);
            Assert.Equal(poll.Id(), Json(request).GetProperty("data").GetProperty("pollId").GetGuid());
        });
        Assert.Equal(3, received.Select(r => r.Header("webhook-id")).Distinct().Count());
        var byType = received.ToDictionary(r => Json(r).GetProperty("type").GetString()!, Json);
        Assert.Equal(["poll.closed", "poll.opened", "results.final"], byType.Keys.Order());
        Assert.Equal("open", byType["poll.opened"].GetProperty("data").GetProperty("status").GetString());
        Assert.Equal("closed", byType["poll.closed"].GetProperty("data").GetProperty("status").GetString());
        var results = byType["results.final"].GetProperty("data");
        Assert.Equal(3, results.GetProperty("totalVotes").GetInt64());
        Assert.Equal([2L, 1L], results.GetProperty("options").EnumerateArray().Take(2).Select(o => o.GetProperty("votes").GetInt64()));

        var attempts = await Eventually.GetAsync(() => AttemptsAsync(admin, webhookId), a => a.Length == 3, "three attempts recorded");
        Assert.All(attempts, a =>
        {
            Assert.True(a.GetProperty("succeeded").GetBoolean());
            Assert.Equal(200, a.GetProperty("statusCode").GetInt32());
            Assert.Equal(1, a.GetProperty("attempt").GetInt32());
        });
    }

    [Fact]
    public async Task A_delivery_answered_with_500_is_retried_with_the_same_id_and_then_succeeds()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AnswerNext("/flaky", 500);
        var admin = await ApiScript.AdminOfNewTenantAsync(fixture.Host);
        var (webhookId, secret) = await RegisterAsync(admin, receiver.Url("/flaky"), "poll.opened");

        await ApiScript.OpenPollAsync(admin);

        var received = await ReceivedAsync(receiver, "/flaky", 2);
        Assert.Equal(received[0].Header("webhook-id"), received[1].Header("webhook-id"));
        Assert.Equal(received[0].Body, received[1].Body);
        Assert.All(received, r => Assert.Equal(1, StandardWebhooks.VerifiedSignatures(r, secret)));
        Assert.True(received[1].At - received[0].At >= TimeSpan.FromSeconds(0.9), "the retry waits for its delay");

        var attempts = await Eventually.GetAsync(() => AttemptsAsync(admin, webhookId), a => a.Length == 2, "both attempts recorded");
        Assert.Equal([2, 1], attempts.Select(a => a.GetProperty("attempt").GetInt32()));
        Assert.Equal([200, 500], attempts.Select(a => a.GetProperty("statusCode").GetInt32()));
        Assert.Equal("The endpoint answered 500.", attempts[1].GetProperty("error").GetString());
        Assert.Equal(received[0].Header("webhook-id"), attempts[1].GetProperty("deliveryId").GetString());
        Assert.True(attempts[1].GetProperty("latencyMilliseconds").GetInt32() >= 0);
        Assert.Equal(JsonValueKind.Null, attempts[0].GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task An_endpoint_that_keeps_failing_is_disabled_says_why_gets_nothing_more_until_enabled_again()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AlwaysAnswer("/broken", 503);
        var admin = await ApiScript.AdminOfNewTenantAsync(fixture.Host);
        var (webhookId, _) = await RegisterAsync(admin, receiver.Url("/broken"), "poll.opened");

        await ApiScript.OpenPollAsync(admin);
        await ReceivedAsync(receiver, "/broken", WebhookHost.DisableAfterFailures);
        var attempts = await Eventually.GetAsync(() => AttemptsAsync(admin, webhookId), a => a.Length == WebhookHost.DisableAfterFailures, "every attempt recorded");
        Assert.True(attempts[0].GetProperty("endpointDisabled").GetBoolean());
        Assert.All(attempts[1..], a => Assert.False(a.GetProperty("endpointDisabled").GetBoolean()));

        var listed = (await admin.GetFromJsonAsync<JsonElement>("/api/webhooks")).EnumerateArray().Single();
        Assert.False(listed.GetProperty("enabled").GetBoolean());
        Assert.Contains("503", listed.GetProperty("disabledReason").GetString(), StringComparison.Ordinal);
        Assert.False(listed.TryGetProperty("secret", out _));

        // Another event finds the endpoint disabled: nothing is sent.
        await ApiScript.OpenPollAsync(admin);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(WebhookHost.DisableAfterFailures, receiver.On("/broken").Count);

        // Fixed and enabled again: the next event is delivered, with nothing owed from while it was disabled.
        receiver.AlwaysAnswer("/broken", 204);
        var enabled = await admin.PostAsync($"/api/webhooks/{webhookId}/enable", null);
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        var view = await enabled.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(view.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, view.GetProperty("disabledReason").ValueKind);
        var poll = await ApiScript.OpenPollAsync(admin);
        var delivered = await ReceivedAsync(receiver, "/broken", WebhookHost.DisableAfterFailures + 1);
        Assert.Equal(poll.Id(), Json(delivered[^1]).GetProperty("data").GetProperty("pollId").GetGuid());
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(WebhookHost.DisableAfterFailures + 1, receiver.On("/broken").Count);
    }

    [Fact]
    public async Task After_a_secret_rotation_deliveries_are_signed_with_the_new_secret_and_for_a_while_the_old_one()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await ApiScript.AdminOfNewTenantAsync(fixture.Host);
        var (webhookId, oldSecret) = await RegisterAsync(admin, receiver.Url("/rotated"), "poll.opened");

        var rotated = await admin.PostAsync($"/api/webhooks/{webhookId}/rotate-secret", null);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var body = await rotated.Content.ReadFromJsonAsync<JsonElement>();
        var newSecret = body.GetProperty("secret").GetString()!;
        Assert.NotEqual(oldSecret, newSecret);
        Assert.True(body.GetProperty("previousSecretValidUntil").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(23));

        await ApiScript.OpenPollAsync(admin);
        var request = (await ReceivedAsync(receiver, "/rotated", 1)).Single();
        Assert.Equal(2, request.Header("webhook-signature").Split(' ').Length);
        Assert.Equal(1, StandardWebhooks.VerifiedSignatures(request, newSecret));
        Assert.Equal(1, StandardWebhooks.VerifiedSignatures(request, oldSecret));
    }

    [Fact]
    public async Task A_removed_endpoint_gets_nothing_more_and_its_history_is_gone()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await ApiScript.AdminOfNewTenantAsync(fixture.Host);
        var (webhookId, _) = await RegisterAsync(admin, receiver.Url("/removed"), "poll.opened");
        await ApiScript.OpenPollAsync(admin);
        await ReceivedAsync(receiver, "/removed", 1);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/webhooks/{webhookId}")).StatusCode);
        await ApiScript.OpenPollAsync(admin);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(receiver.On("/removed"));
        await (await admin.GetAsync($"/api/webhooks/{webhookId}/deliveries")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Empty((await admin.GetFromJsonAsync<JsonElement>("/api/webhooks")).EnumerateArray());
    }
}
