namespace IntegrationTests.Votes.StreamResults;

/// <summary>
/// Live results streams left open on idle polls, in a real Host process whose CPU time can be read. Run alone: other
/// tests' load would slow the Host's warm-up, which is not what this measures.
/// </summary>
[Collection(QuietMachine.Name)]
public sealed class IdleStreamsTests
{
    // For some 15 s after new code paths run, the JIT recompiles hot code in the background.
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(20);
    // Long enough to average out the idle instance's own periodic work (Wolverine's looks at each database every second).
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(20);

    private static async Task<TimeSpan> CpuDuringAsync(HostProcess host, TimeSpan window)
    {
        var before = host.CpuTime;
        await Task.Delay(window);
        return host.CpuTime - before;
    }

    [Fact]
    public async Task Two_hundred_idle_streams_cost_the_host_under_two_percent_of_a_core()
    {
        var deployment = await Deployment.CreateAsync();
        await using var host = await HostProcess.StartAsync(deployment);
        var admin = await ApiScript.AdminOfNewTenantAsync(host);
        var polls = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            polls.Add((await ApiScript.OpenPollAsync(admin)).Id());
        }
        await Task.Delay(WarmUp);
        var idle = await CpuDuringAsync(host, Window);

        using var listener = host.Client(Timeout.InfiniteTimeSpan);
        var streams = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            var response = await listener.GetAsync($"/api/public/polls/{polls[i % polls.Count]}/results/stream", HttpCompletionOption.ResponseHeadersRead);
            var stream = new EventStream(response);
            Assert.Equal("results", (await stream.NextFrameAsync(TimeSpan.FromSeconds(30)))!.Event);
            return stream;
        }));
        try
        {
            await Task.Delay(WarmUp);
            var streaming = await CpuDuringAsync(host, Window);
            // What the streams add to the idle instance: 2 % of a core.
            Assert.True(streaming - idle < Window * 0.02,
                $"{streaming.TotalMilliseconds} ms of CPU in {Window.TotalSeconds} s with 200 streams, {idle.TotalMilliseconds} ms without");
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }
    }
}
