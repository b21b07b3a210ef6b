namespace IntegrationTests.Messaging;

/// <summary>
/// A poll's scheduled close on a deployment of two Host processes: it fires once, within a second of closesAt, also
/// when the instance that opened the poll is gone. A latency in the contract, so it runs on the quiet machine.
/// </summary>
[Collection(QuietMachine.Name)]
public sealed class ScheduledCloseTests
{
    [Fact]
    public async Task A_scheduled_close_fires_once_and_on_time_with_two_instances_running()
    {
        var database = await Deployment.CreateAsync();
        await using var a = await HostProcess.StartAsync(database);
        await using var b = await HostProcess.StartAsync(database);
        var admin = await ApiScript.AdminOfNewTenantAsync(a);
        var closesAt = DateTimeOffset.UtcNow.AddSeconds(8);
        var poll = await ApiScript.OpenPollAsync(admin, new { closesAt });

        await AssertClosedOnceAndOnTimeAsync(database, poll.Id(), closesAt);
        var late = await b.Client().PostAsJsonAsync($"/api/public/polls/{poll.Id()}/votes", new { optionIds = new[] { poll.OptionId(0) }, voterKey = "late" });
        await late.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "poll_not_open");
    }

    [Fact]
    public async Task A_scheduled_close_fires_on_time_when_the_instance_that_opened_the_poll_was_killed()
    {
        var database = await Deployment.CreateAsync();
        await using var a = await HostProcess.StartAsync(database);
        await using var b = await HostProcess.StartAsync(database);
        var admin = await ApiScript.AdminOfNewTenantAsync(a);
        var closesAt = DateTimeOffset.UtcNow.AddSeconds(10);
        var poll = await ApiScript.OpenPollAsync(admin, new { closesAt });

        a.Kill();

        await AssertClosedOnceAndOnTimeAsync(database, poll.Id(), closesAt);
        var results = await b.Client().GetFromJsonAsync<JsonElement>($"/api/public/polls/{poll.Id()}");
        Assert.Equal("closed", results.GetProperty("status").GetString());
    }

    private static async Task AssertClosedOnceAndOnTimeAsync(Deployment database, Guid pollId, DateTimeOffset closesAt)
    {
        await Eventually.GetAsync(() => database.ScalarAsync("SELECT count(*) FROM polls.polls WHERE id = $1 AND status = 'Closed'", pollId),
            n => n == 1, "the poll closed in storage", seconds: 20);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var closedAt = await database.ScalarAsync("SELECT (extract(epoch FROM updated_at) * 1000)::bigint FROM polls.polls WHERE id = $1", pollId);
        Assert.InRange(closedAt - closesAt.ToUnixTimeMilliseconds(), 0, 1000);
        // Version 1 created, 2 opened, 3 closed: one closing, not two; announced once to each of PollClosed's two handlers.
        Assert.Equal(3, await database.ScalarAsync("SELECT version FROM polls.polls WHERE id = $1", pollId));
        Assert.Equal(2, await database.ScalarAsync(
            "SELECT count(*) FROM wolverine.wolverine_incoming_envelopes WHERE message_type = 'polls.poll-closed' AND status = 'Handled'"));
        Assert.Equal(0, await database.ScalarAsync("SELECT count(*) FROM polls.scheduled_closes"));
    }
}
