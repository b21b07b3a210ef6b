using IntegrationTests.Fixtures;

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

        // Per shard and second: a relay round (claim, next due time), the ownership probe, housekeeping now and then,
        // and these reads. A spinning relay commits hundreds a second.
        var allowed = (long)(10 * window.TotalSeconds * api.Deployment.ShardIds.Count);
        Assert.InRange(commits, 0, allowed);
    }
}
