using System.Globalization;

namespace Bench;

/// <summary>What the report reads from an instance's /metrics (Prometheus text).</summary>
internal static class InstanceMetrics
{
    /// <summary>What an instance did besides serving reads: cache loads, new database connections, garbage collections.</summary>
    public sealed record Activity(double Loads, double Connections, double Collections)
    {
        public static Activity operator -(Activity a, Activity b) => new(a.Loads - b.Loads, a.Connections - b.Connections, a.Collections - b.Collections);

        public override string ToString() => $"{Loads:0} cache loads, {Connections:0} new connections, {Collections:0} GCs";
    }

    public static async Task<Activity> ActivityAsync(HttpClient http, Uri api)
    {
        var sum = await MetricsAsync(http, api);
        return new(sum("fusioncache_factory_success_total", null) + sum("fusioncache_factory_error_total", null),
            sum("db_client_connection_npgsql_create_time_seconds_count", null), sum("dotnet_gc_collections_total", null));
    }

    /// <summary>An instance's garbage collections so far and the time they paused it, from its /metrics.</summary>
    public static async Task<(long Collections, long Gen2, double PauseSeconds)> GcFiguresAsync(HttpClient http, Uri api)
    {
        var sum = await MetricsAsync(http, api);
        return ((long)sum("dotnet_gc_collections_total", null), (long)sum("dotnet_gc_collections_total", "gc_heap_generation=\"gen2\""), sum("dotnet_gc_pause_time_seconds_total", null));
    }

    /// <summary>
    /// The bytes an instance has allocated on its GC heap and the requests it has answered: over the closed-loop
    /// rounds, in which it serves only the L1 reads, their quotient is what a cached read allocates.
    /// </summary>
    public static async Task<(double Bytes, double Requests)> AllocationAsync(HttpClient http, Uri api)
    {
        var sum = await MetricsAsync(http, api);
        return (sum("dotnet_gc_heap_total_allocated_bytes_total", null), sum("http_server_request_duration_seconds_count", null));
    }

    /// <summary>An instance's cache counters, so the report shows where its reads were answered.</summary>
    public static async Task<string> CacheFiguresAsync(HttpClient http, Uri api)
    {
        var sum = await MetricsAsync(http, api);
        var fromRedis = sum("fusioncache_distributed_hit_total", null);
        return $"{Table.N(sum("fusioncache_cache_hit_total", null) - fromRedis)} memory hits, {Table.N(fromRedis)} loads from Redis, "
            + $"{Table.N(sum("fusioncache_factory_success_total", null))} from the database";
    }

    /// <summary>An instance's /metrics, read once: the sum of a metric's series, of those with a given label if one is named.</summary>
    public static async Task<Func<string, string?, double>> MetricsAsync(HttpClient http, Uri api)
    {
        var lines = (await http.GetStringAsync(new Uri(api, "/metrics"))).Split('\n');
        return (name, label) => lines
            .Where(l => (l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
                && (label is null || l.Contains(label, StringComparison.Ordinal)))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    /// <summary>The tally's lag histogram (votes.tally_lag), summed over the instances' /metrics.</summary>
    public static async Task<LagHistogram> TallyLagAsync(HttpClient http, IEnumerable<Uri> instances)
    {
        var buckets = new SortedDictionary<double, double>();
        foreach (var instance in instances)
        {
            foreach (var line in (await http.GetStringAsync(new Uri(instance, "/metrics"))).Split('\n').Where(l => l.StartsWith("votes_tally_lag_milliseconds_bucket{", StringComparison.Ordinal)))
            {
                var le = line[(line.IndexOf("le=\"", StringComparison.Ordinal) + 4)..];
                le = le[..le.IndexOf('"', StringComparison.Ordinal)];
                var bound = le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);
                buckets[bound] = buckets.GetValueOrDefault(bound) + double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }
        return new LagHistogram(buckets);
    }
}
