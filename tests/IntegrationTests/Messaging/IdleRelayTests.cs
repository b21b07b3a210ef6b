namespace IntegrationTests.Messaging;

/// <summary>
/// An instance with nothing to deliver leaves its shards alone: each relay sleeps until a NOTIFY, the next due time
/// or the poll interval (1 s). A relay that took "nothing pending" for "due now" would query its shard without pause
/// and burn a core while idle.
/// </summary>
public sealed class IdleRelayTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task With_nothing_pending_the_relays_sleep_between_polls()
    {
        await api.TenantOnEachShardAsync();
        await Eventually.GetAsync(
            () => api.Deployment.ScalarAsync("SELECT count(*) FROM messaging.outbox WHERE dispatched_at IS NULL"), n => n == 0,
            "the sign-ups' messages delivered");

        var window = TimeSpan.FromSeconds(5);
        var before = await api.Deployment.ShardCommitsAsync();
        await Task.Delay(window);
        var commits = await api.Deployment.ShardCommitsAsync() - before;

        // Per shard and second an idle deployment commits a handful (a relay round of two statements, the ownership
        // probe, housekeeping now and then, these reads), but the statistics count late: a backend that went idle
        // reports its last transactions up to 10 s after, so the sign-ups' can land in the window. A spinning relay
        // commits thousands a second per shard (31,093 in this window, when it did).
        var allowed = (long)(50 * window.TotalSeconds * api.Deployment.ShardIds.Count);
        Assert.InRange(commits, 0, allowed);
    }
}
