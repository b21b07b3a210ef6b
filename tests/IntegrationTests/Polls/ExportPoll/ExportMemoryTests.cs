namespace IntegrationTests.Polls.ExportPoll;

/// <summary>A large votes export on a real Host process: streamed from the database, so its memory does not grow with the file.</summary>
public sealed class ExportMemoryTests
{
    private const int Votes = 400_000;
    private const int InsertChunk = 50_000;

    [Fact]
    public async Task Exporting_400000_votes_streams_them_without_the_hosts_memory_growing_with_them()
    {
        var deployment = await Deployment.CreateAsync();
        await using var host = await HostProcess.StartAsync(deployment);
        var admin = await ApiScript.AdminOfNewTenantAsync(host);
        var poll = await ApiScript.OpenPollAsync(admin);
        var path = $"/api/polls/{poll.Id()}/votes.csv";
        // Warm: the route's code compiled and its buffers made, so what follows measures the rows alone.
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(path)).StatusCode);
        // In chunks: one statement of all the rows outlasted the command timeout on a busy machine.
        long stored = 0;
        for (var first = 1; first <= Votes; first += InsertChunk)
        {
            stored += await deployment.ScalarAsync("""
                WITH stored AS (
                    INSERT INTO votes.votes (id, tenant_id, poll_id, option_ids, voter_key, dedupe_key, cast_at)
                    SELECT gen_random_uuid(), r.tenant_id, r.poll_id, ARRAY[$2::uuid], 'voter-' || g, 'voter:voter-' || g, now() + g * interval '1 microsecond'
                    FROM votes.poll_replicas r, generate_series($3, $4) g WHERE r.poll_id = $1
                    RETURNING 1)
                SELECT count(*) FROM stored
                """, poll.Id(), poll.OptionId(0), first, first + InsertChunk - 1);
        }
        Assert.Equal(Votes, stored);

        // What the GC found alive at its last collection, sampled while the file goes out: rows held anywhere
        // (a list, a buffer of the whole file) would add up there; rows streamed are garbage by the next one.
        var metrics = host.Client();
        var before = await LiveHeapAsync(metrics);
        Assert.True(before > 0, "the Host reports its live heap in /metrics");
        var peak = before;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, await LiveHeapAsync(metrics));
                await Task.Delay(20);
            }
        });
        using var response = await admin.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (bytes, lines) = await CountAsync(await response.Content.ReadAsStreamAsync());
        await sampling.CancelAsync();
        await sampler;

        Assert.Equal(Votes + 1, lines);
        // Held in a list, the rows cost more than the file itself (42 MB for a 34 MB file in a trial). Streamed, what the
        // GC finds alive at a collection is what is in flight, plus objects promoted at earlier ones and not collected
        // yet: 0.3 to 0.7 of the file's size in trials and CI runs (up to 34 MB for this one), never the whole file.
        var growth = peak - before;
        Assert.True(growth < bytes, $"the Host's live heap grew by {growth / 1e6:0.0} MB while it sent {bytes / 1e6:0.0} MB of CSV");
    }

    private static async Task<double> LiveHeapAsync(HttpClient host) =>
        (await host.GetStringAsync("/metrics")).Split('\n')
            .Where(line => line.StartsWith("dotnet_gc_last_collection_heap_size_bytes{", StringComparison.Ordinal))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));

    private static async Task<(long Bytes, long Lines)> CountAsync(Stream body)
    {
        var buffer = new byte[64 * 1024];
        long bytes = 0, lines = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            bytes += read;
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }
        return (bytes, lines);
    }
}
