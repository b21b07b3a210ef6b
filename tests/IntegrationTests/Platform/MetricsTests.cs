using System.Text.RegularExpressions;

namespace IntegrationTests.Platform;

public sealed class MetricsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Metrics_are_prometheus_text_with_request_latency_by_route_runtime_database_and_message_figures_and_open_streams()
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.OpenPollAsync();
        await tenant.Admin().GetAsync("/api/polls");
        using var stream = await api.Anonymous().GetAsync($"/api/public/polls/{poll.Id()}/results/stream", HttpCompletionOption.ResponseHeadersRead);

        // Wolverine counts a message handled just after its handler has committed, which is when /open answers: so a
        // moment later, possibly.
        var metrics = await Eventually.GetAsync(() => api.Anonymous().GetStringAsync("/metrics"),
            text => Regex.IsMatch(text, @"^sse_open_streams\{[^}]*\} [1-9]", RegexOptions.Multiline)
                && Regex.IsMatch(text, @"^wolverine_messages_succeeded_Messages_total\{[^}]*message_type=""polls.poll-opened""[^}]*\} [1-9]", RegexOptions.Multiline),
            "an open stream and the poll's opening counted");
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", metrics);
        Assert.Matches(@"http_server_request_duration_seconds_bucket\{[^}]*http_route=""/api/polls""[^}]*le=""\+Inf""\} [1-9]", metrics);
        Assert.Matches(@"http_server_request_duration_seconds_count\{[^}]*http_response_status_code=""201""", metrics);
        // Wolverine's meter: how long after they were sent the poll's events were handled.
        Assert.Matches(@"wolverine_effective_time_Milliseconds_bucket\{[^}]*le=""\+Inf""\} [1-9]", metrics);
        // The messages waiting on each shard, counted there (Wolverine's own gauges, one series for every database, are dropped).
        foreach (var shard in api.Deployment.ShardIds)
        {
            Assert.Matches($@"(?m)^messages_waiting\{{[^}}]*shard=""{shard}""[^}}]*\}} \d+$", metrics);
        }
        Assert.DoesNotContain("wolverine_inbox_count", metrics, StringComparison.Ordinal);
        Assert.Contains("# TYPE dotnet_gc_collections_total counter", metrics);
        Assert.Matches(@"(?m)^dotnet_gc_pause_time_seconds_total\{[^}]*\} \d", metrics);
        // Npgsql's own meter: the database calls those requests made.
        Assert.Matches(@"(?m)^db_client_operation_duration_seconds_count\{[^}]*\} [1-9]", metrics);
        // Dropped for their cost per request: Kestrel's buffer counts and FusionCache's memory level.
        Assert.DoesNotContain("aspnetcore_memory_pool_", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("fusioncache_memory_", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_count_cache_hits_and_factory_runs()
    {
        var tenant = await api.NewTenantAsync();
        var poll = await tenant.OpenPollAsync();
        for (var i = 0; i < 3; i++)
        {
            (await api.Anonymous().GetAsync($"/api/public/polls/{poll.Id()}")).EnsureSuccessStatusCode();
        }
        var metrics = await api.Anonymous().GetStringAsync("/metrics");
        Assert.Matches(@"(?m)^fusioncache_cache_hit_total\{[^}]*\} [1-9]", metrics);
        Assert.Matches(@"(?m)^fusioncache_factory_success_total\{[^}]*\} [1-9]", metrics);
    }
}
