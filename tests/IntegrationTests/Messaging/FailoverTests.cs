using System.Diagnostics;

namespace IntegrationTests.Messaging;

/// <summary>Real Host processes: messages an instance stored but had not handled when it was killed are handled by another.</summary>
public sealed class FailoverTests
{
    [Fact]
    public async Task A_survivor_handles_the_pending_messages_of_a_killed_instance_within_ten_seconds()
    {
        var deployment = await Deployment.CreateAsync();
        await using var doomed = await HostProcess.StartAsync(deployment);
        await using var survivor = await HostProcess.StartAsync(deployment);
        var admin = await ApiScript.AdminOfNewTenantAsync(doomed);

        // Creating a poll answers once the poll and its PollCreated are stored; Votes applies it afterwards. Creates in
        // a burst, killed mid-burst, leave some stored and not yet handled on the instance that took them: counted in
        // the databases, because those whose answer the kill cut off are among them.
        var created = new List<Guid>();
        using var burst = new CancellationTokenSource();
        var creating = Task.Run(async () =>
        {
            while (!burst.IsCancellationRequested)
            {
                var batch = await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
                {
                    try
                    {
                        var response = await admin.PostAsJsonAsync("/api/polls", PollBodies.Valid(), burst.Token);
                        return response.StatusCode == HttpStatusCode.Created ? (await response.Content.ReadFromJsonAsync<JsonElement>()).Id() : (Guid?)null;
                    }
                    catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
                    {
                        return null;
                    }
                }));
                lock (created)
                {
                    created.AddRange(batch.OfType<Guid>());
                }
            }
        });
        await Eventually.GetAsync(() => Task.FromResult(created.Count), n => n >= 40, "polls being created");
        doomed.Kill();
        var killedAt = Stopwatch.StartNew();
        await burst.CancelAsync();
        await creating;

        var pending = await NotReplicatedAsync(deployment);
        Assert.True(pending > 0, "some stored polls were still to be applied when the instance died");
        await Eventually.GetAsync(() => NotReplicatedAsync(deployment), n => n == 0,
            $"every stored poll replicated in Votes ({pending} were not when the instance died)", seconds: 15);
        Assert.InRange(killedAt.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }

    /// <summary>Polls stored in Polls (this deployment's only) that Votes has no copy of yet.</summary>
    private static Task<long> NotReplicatedAsync(Deployment deployment) =>
        deployment.ScalarAsync("SELECT count(*) FROM polls.polls p WHERE NOT EXISTS (SELECT 1 FROM votes.poll_replicas r WHERE r.poll_id = p.id)");
}
