using System.Diagnostics;

namespace Bench;

/// <summary>Throughput and latency of one load run. Latencies are in milliseconds.</summary>
internal sealed record LoadResult(string Name, int Succeeded, int Failed, TimeSpan Elapsed, double[] Latencies)
{
    public double Throughput => Succeeded / Elapsed.TotalSeconds;

    /// <summary>Runs of one scenario taken as one: their requests, time and latencies added up.</summary>
    public static LoadResult Combine(IReadOnlyList<LoadResult> runs) => new(
        runs[0].Name, runs.Sum(r => r.Succeeded), runs.Sum(r => r.Failed),
        runs.Aggregate(TimeSpan.Zero, (total, r) => total + r.Elapsed), runs.SelectMany(r => r.Latencies).ToArray());

    public double Percentile(double p)
    {
        if (Latencies.Length == 0)
        {
            return double.NaN;
        }
        var sorted = Latencies.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];
    }
}

/// <summary>Load generators: closed loop to find the maximum rate, open loop to hold a fixed rate.</summary>
internal static class Load
{
    /// <summary><paramref name="concurrency"/> workers each send the next request as soon as the last one answers.</summary>
    public static async Task<LoadResult> ClosedLoopAsync(string name, Func<Task<bool>> send, int concurrency, TimeSpan duration)
    {
        var latencies = new List<double>[concurrency];
        var failed = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var mine = latencies[worker] = [];
            while (clock.Elapsed < duration)
            {
                var started = clock.Elapsed;
                if (await send())
                {
                    mine.Add((clock.Elapsed - started).TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }));
        var all = latencies.SelectMany(l => l).ToArray();
        return new LoadResult(name, all.Length, failed, clock.Elapsed, all);
    }

    /// <summary>
    /// Requests start on a fixed schedule whatever the answers do, and latency counts from the scheduled start,
    /// so a stall shows in the percentiles instead of quietly lowering the rate (no coordinated omission).
    /// </summary>
    public static async Task<LoadResult> OpenLoopAsync(string name, Func<Task<bool>> send, double rate, TimeSpan duration, int maxInFlight = 256)
    {
        var total = (int)(rate * duration.TotalSeconds);
        var latencies = new double[total];
        var ok = new bool[total];
        var gate = new SemaphoreSlim(maxInFlight);
        var clock = Stopwatch.StartNew();
        var inFlight = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }
            var index = i;
            await gate.WaitAsync();
            inFlight.Add(Task.Run(async () =>
            {
                try
                {
                    ok[index] = await send();
                    latencies[index] = (clock.Elapsed - due).TotalMilliseconds;
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
        await Task.WhenAll(inFlight);
        var succeeded = Enumerable.Range(0, total).Where(i => ok[i]).ToArray();
        return new LoadResult(name, succeeded.Length, total - succeeded.Length, clock.Elapsed, succeeded.Select(i => latencies[i]).ToArray());
    }
}
