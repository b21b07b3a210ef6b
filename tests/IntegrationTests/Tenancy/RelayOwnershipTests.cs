namespace IntegrationTests.Tenancy;

/// <summary>Real Host processes: each shard's relay is owned by one instance at a time, and ownership survives a SIGKILL.</summary>
public sealed class RelayOwnershipTests
{
    // The relay's advisory lock key, 0x52656c6179, as pg_locks shows a bigint key: high half, low half.
    private const string RelayLockHolders = """
        SELECT count(*) FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND classid = 82 AND objid = 1701601657 AND objsubid = 1
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
        """;

    private static readonly Dictionary<string, string> LogOwnership = new()
    {
        ["Serilog:MinimumLevel:Override:Shared.Messaging.RelayOwnership"] = "Information",
        ["Messaging:OwnershipPollMilliseconds"] = "500",
    };

    private static bool Relays(HostProcess host, string shard) =>
        host.Output.Split('\n').Any(line => line.Contains("now relays shard") && line.Contains($"\"Shard\":\"{shard}\""));

    [Fact]
    public async Task Each_shards_relay_runs_on_one_instance_and_moves_to_another_when_it_dies()
    {
        var deployment = await Deployment.CreateAsync();
        await using var a = await HostProcess.StartAsync(deployment, LogOwnership);
        await using var b = await HostProcess.StartAsync(deployment, LogOwnership);
        foreach (var shard in deployment.ShardIds)
        {
            await Eventually.GetAsync(() => deployment.ShardScalarAsync(shard, RelayLockHolders), n => n == 1, $"one relay holding {shard}");
            Assert.True(Relays(a, shard) ^ Relays(b, shard), $"exactly one instance says it relays {shard}");
        }
        var (owner, survivor) = Relays(a, "shard-0") ? (a, b) : (b, a);
        var poll = await ApiScript.OpenPollAsync(await ApiScript.AdminOfNewTenantAsync(survivor), new { duplicateCheck = "none" });

        // The owner of shard-0 dies without a word; the survivor takes its relays over.
        owner.Kill();
        foreach (var shard in deployment.ShardIds)
        {
            await Eventually.GetAsync(() => Task.FromResult(Relays(survivor, shard)), taken => taken, $"the survivor relays {shard}");
            Assert.Equal(1, await deployment.ShardScalarAsync(shard, RelayLockHolders));
        }
        var vote = await survivor.Client().PostAsJsonAsync($"/api/public/polls/{poll.Id()}/votes", new { optionIds = new[] { poll.OptionId(0) } });
        Assert.Equal(HttpStatusCode.Created, vote.StatusCode);
        await Eventually.GetAsync(
            () => deployment.ScalarAsync("SELECT COALESCE((SELECT total_votes FROM votes.poll_tallies WHERE poll_id = $1), 0)", poll.Id()),
            n => n == 1, "the vote counted by the survivor's relay");
    }
}
