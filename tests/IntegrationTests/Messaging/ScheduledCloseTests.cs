namespace IntegrationTests.Messaging;

/// <summary>
/// A poll's scheduled close on a deployment of two Host processes: it fires once, within a second of closesAt. A
/// latency in the contract, so it runs on the quiet machine.
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

        await Eventually.GetAsync(() => database.ScalarAsync("SELECT count(*) FROM polls.polls WHERE id = $1 AND status = 'Closed'", poll.Id()),
            n => n == 1, "the poll closed in storage", seconds: 15);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var closedAt = await database.ScalarAsync("SELECT (extract(epoch FROM updated_at) * 1000)::bigint FROM polls.polls WHERE id = $1", poll.Id());
        var lateness = closedAt - closesAt.ToUnixTimeMilliseconds();
        Assert.InRange(lateness, 0, 1000);
        // Version 1 created, 2 opened, 3 closed: one closing, not two.
        Assert.Equal(3, await database.ScalarAsync("SELECT version FROM polls.polls WHERE id = $1", poll.Id()));
        Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM messaging.inbox WHERE handler LIKE '%ClosePollWhenDueHandler'"));

        var late = await b.Client().PostAsJsonAsync($"/api/public/polls/{poll.Id()}/votes", new { optionIds = new[] { poll.OptionId(0) }, voterKey = "late" });
        await late.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "poll_not_open");
    }
}
