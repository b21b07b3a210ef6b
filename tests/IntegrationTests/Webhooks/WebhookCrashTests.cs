namespace IntegrationTests.Webhooks;

/// <summary>Deliveries survive the instance that was sending them: real Host processes, SIGKILL.</summary>
public sealed class WebhookCrashTests
{
    [Fact]
    public async Task A_delivery_in_flight_when_its_instance_is_killed_is_sent_by_another_with_the_same_id()
    {
        var deployment = await Deployment.CreateAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Hold("/crash");
        await using var sending = await HostProcess.StartAsync(deployment, WebhookHost.Settings);
        var admin = await ApiScript.AdminOfNewTenantAsync(sending);
        var registered = await admin.PostAsJsonAsync("/api/webhooks", new { url = receiver.Url("/crash"), events = new[] { "poll.opened" } });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var webhookId = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        await ApiScript.OpenPollAsync(admin);

        // The request is out and unanswered when its sender dies: nothing about it was recorded.
        var first = (await Eventually.GetAsync(() => Task.FromResult(receiver.On("/crash")), r => r.Count == 1, "the first request")).Single();
        sending.Kill();
        receiver.Release("/crash");

        // The survivor sends it once the dead instance's lease has lapsed (timeout × 2 + 10 s with these settings).
        await using var survivor = await HostProcess.StartAsync(deployment, WebhookHost.Settings);
        var again = await Eventually.GetAsync(() => Task.FromResult(receiver.On("/crash")), r => r.Count == 2, "the request sent again", seconds: 40);
        Assert.Equal(first.Header("webhook-id"), again[1].Header("webhook-id"));
        Assert.Equal(first.Body, again[1].Body);

        var adminOnSurvivor = survivor.Client();
        adminOnSurvivor.DefaultRequestHeaders.Authorization = admin.DefaultRequestHeaders.Authorization;
        var attempts = await Eventually.GetAsync(
            async () => (await adminOnSurvivor.GetFromJsonAsync<JsonElement>($"/api/webhooks/{webhookId}/deliveries")).GetProperty("items").EnumerateArray().ToArray(),
            a => a.Length == 1, "the survivor's attempt recorded");
        Assert.True(attempts[0].GetProperty("succeeded").GetBoolean());
        Assert.Equal(first.Header("webhook-id"), attempts[0].GetProperty("deliveryId").GetString());
        await Task.Delay(1000);
        Assert.Equal(2, receiver.On("/crash").Count);
    }
}
