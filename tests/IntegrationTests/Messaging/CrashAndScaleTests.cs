using System.Collections.Concurrent;

namespace IntegrationTests.Messaging;

/// <summary>Real host processes on one real deployment: SIGKILL, restarts, two instances at once.</summary>
public sealed class CrashAndScaleTests
{
    private static Task<long> TallyAsync(Deployment deployment, Guid pollId) =>
        deployment.ScalarAsync("SELECT COALESCE((SELECT total_votes FROM votes.poll_tallies WHERE poll_id = $1), 0)", pollId);

    private static Task<Deployment> DatabaseAsync() => Deployment.CreateAsync();

    [Fact]
    public async Task Votes_committed_by_an_instance_killed_before_dispatch_are_counted_after_a_restart()
    {
        var database = await DatabaseAsync();
        JsonElement poll;
        await using (var setup = await HostProcess.StartAsync(database))
        {
            poll = await ApiScript.OpenPollAsync(await ApiScript.AdminOfNewTenantAsync(setup), new { duplicateCheck = "none" });
        }

        // An instance that stores votes but never counts them, killed outright.
        await using var crashing = await HostProcess.StartAsync(database, new Dictionary<string, string> { ["Tally:Enabled"] = "false" });
        var voter = crashing.Client();
        for (var i = 0; i < 50; i++)
        {
            var vote = await voter.PostAsJsonAsync($"/api/public/polls/{poll.Id()}/votes", new { optionIds = new[] { poll.OptionId(i % 3) } });
            Assert.Equal(HttpStatusCode.Created, vote.StatusCode);
        }
        crashing.Kill();
        Assert.Equal(0, await TallyAsync(database, poll.Id()));
        Assert.Equal(50, await database.ScalarAsync("SELECT count(*) FROM votes.uncounted_votes WHERE poll_id = $1", poll.Id()));

        await using var restarted = await HostProcess.StartAsync(database);
        await Eventually.GetAsync(() => TallyAsync(database, poll.Id()), n => n == 50, "all 50 committed votes counted");
        await Task.Delay(500);
        Assert.Equal(50, await TallyAsync(database, poll.Id()));
    }

    [Fact]
    public async Task Ten_thousand_votes_across_two_instances_with_one_killed_midway_are_counted_exactly()
    {
        const int total = 10_000;
        var database = await DatabaseAsync();
        await using var a = await HostProcess.StartAsync(database);
        await using var b = await HostProcess.StartAsync(database);
        var poll = await ApiScript.OpenPollAsync(await ApiScript.AdminOfNewTenantAsync(a), new { duplicateCheck = "none" });
        var options = Enumerable.Range(0, 3).Select(i => poll.OptionId(i)).ToArray();

        var created = 0;
        var refused = new ConcurrentBag<string>();
        var clientA = a.Client(TimeSpan.FromSeconds(10));
        var clientB = b.Client(TimeSpan.FromSeconds(10));
        async Task VoteAsync(HttpClient client, int i)
        {
            try
            {
                var response = await client.PostAsJsonAsync($"/api/public/polls/{poll.Id()}/votes", new { optionIds = new[] { options[i % 3] } });
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    Interlocked.Increment(ref created);
                }
                else
                {
                    refused.Add($"{(int)response.StatusCode}");
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                refused.Add(e.GetType().Name);
            }
        }

        // First half over both instances; A is then killed with its relay mid-stream; B takes the second half.
        await Parallel.ForAsync(0, total / 2, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) => await VoteAsync(i % 2 == 0 ? clientA : clientB, i));
        a.Kill();
        await Parallel.ForAsync(total / 2, total, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) => await VoteAsync(clientB, i));

        Assert.True(refused.IsEmpty, $"refused: {string.Join(", ", refused)}\n{b.Output}");
        Assert.Equal(total, created);
        await Eventually.GetAsync(() => TallyAsync(database, poll.Id()), n => n == created, $"{created} votes counted", seconds: 60);
        Assert.Equal(created, await database.ScalarAsync("SELECT count(*) FROM votes.votes WHERE poll_id = $1", poll.Id()));
        Assert.Equal(created, await database.ScalarAsync("SELECT sum(votes) FROM votes.option_tallies WHERE poll_id = $1", poll.Id()));
    }

    [Fact]
    public async Task Delivered_messages_are_cleaned_up_and_readiness_reports_uncounted_votes_over_their_limit()
    {
        var database = await DatabaseAsync();
        JsonElement poll;
        await using (var tidy = await HostProcess.StartAsync(database, new Dictionary<string, string>
        {
            ["Messaging:KeepHandledSeconds"] = "1",
            ["Messaging:HousekeepingIntervalSeconds"] = "1",
        }))
        {
            poll = await ApiScript.OpenPollAsync(await ApiScript.AdminOfNewTenantAsync(tidy), new { duplicateCheck = "none" });
            Assert.True(await database.ScalarAsync("SELECT count(*) FROM wolverine.wolverine_incoming_envelopes WHERE status = 'Handled'") > 0);
            await Eventually.GetAsync(() => database.ScalarAsync("SELECT count(*) FROM wolverine.wolverine_incoming_envelopes"), n => n == 0,
                "the handled messages cleaned up", seconds: 30);
        }

        // With no instance counting votes, they pile up uncounted until readiness says so.
        await using var stalled = await HostProcess.StartAsync(database, new Dictionary<string, string>
        {
            ["Tally:Enabled"] = "false",
            ["Tally:BacklogLimit"] = "5",
        });
        var client = stalled.Client();
        var ready = await client.GetFromJsonAsync<JsonElement>("/health/ready");
        Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty("tally").GetProperty("status").GetString());
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync($"/api/public/polls/{poll.Id()}/votes", new { optionIds = new[] { poll.OptionId(0) } })).StatusCode);
        }
        ready = await client.GetFromJsonAsync<JsonElement>("/health/ready");
        Assert.Equal("Degraded", ready.GetProperty("checks").GetProperty("tally").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_listener_on_one_instance_sees_votes_cast_on_another()
    {
        var database = await DatabaseAsync();
        await using var a = await HostProcess.StartAsync(database);
        await using var b = await HostProcess.StartAsync(database);
        var poll = await ApiScript.OpenPollAsync(await ApiScript.AdminOfNewTenantAsync(a), new { duplicateCheck = "none" });

        var response = await b.Client().GetAsync($"/api/public/polls/{poll.Id()}/results/stream", HttpCompletionOption.ResponseHeadersRead);
        await using var stream = new EventStream(response);
        Assert.Equal(0, (await stream.NextAsync()).GetProperty("totalVotes").GetInt64());
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Created,
                (await a.Client().PostAsJsonAsync($"/api/public/polls/{poll.Id()}/votes", new { optionIds = new[] { poll.OptionId(0) } })).StatusCode);
        }
        await stream.UntilAsync(e => e.GetProperty("totalVotes").GetInt64() == 5);
    }
}
