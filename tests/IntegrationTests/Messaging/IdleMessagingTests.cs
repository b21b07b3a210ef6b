namespace IntegrationTests.Messaging;

/// <summary>
/// An instance with nothing to handle leaves its shards nearly alone: Wolverine's agents look for due and orphaned
/// messages every few seconds. A poller that took "nothing pending" for "due now" would query its shard without pause
/// and burn a core while idle.
/// </summary>
public sealed class IdleMessagingTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task With_nothing_pending_the_shards_see_a_handful_of_commits_a_second()
    {
        await api.TenantOnEachShardAsync();
        await Eventually.GetAsync(
            () => api.Deployment.ScalarAsync("SELECT count(*) FROM wolverine.wolverine_incoming_envelopes WHERE status <> 'Handled'"), n => n == 0,
            "the sign-ups' messages handled");

        var window = TimeSpan.FromSeconds(5);
        var before = await api.Deployment.ShardCommitsAsync();
        await Task.Delay(window);
        var commits = await api.Deployment.ShardCommitsAsync() - before;

        // The statistics count late: a backend that went idle reports its last transactions up to 10 s after, so the
        // sign-ups' can land in the window. A spinning poller commits thousands a second per shard.
        var allowed = (long)(50 * window.TotalSeconds * api.Deployment.ShardIds.Count);
        Assert.InRange(commits, 0, allowed);
    }
}
