using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Shared.Redis;

namespace Bench;

/// <summary>
/// GET throughput of our client (callers sharing its one multiplexed connection) against redis-benchmark's GET with
/// as many connections, unpipelined (-P 1) and pipelined (-P 16), on the same server in the same run.
/// </summary>
internal static partial class RedisGetBench
{
    private const int Callers = 50;

    public static async Task<int> RunAsync(string endpoint, int seconds)
    {
        var (host, port) = (endpoint.Split(':')[0], endpoint.Split(':')[1]);
        await using var client = new RedisClient(RedisOptions.Parse($"{endpoint},timeout=5000"), NullLogger<RedisClient>.Instance);
        await client.SetAsync("bench:key", new byte[100]);

        await RunClientAsync(client, 2);
        var ours = await RunClientAsync(client, seconds);
        var single = await RunClientAsync(client, seconds, callers: 1);
        var unpipelined = RedisBenchmark(host, port, seconds, pipeline: 1);
        var pipelined = RedisBenchmark(host, port, seconds, pipeline: 16);

        Console.WriteLine($"# Redis GET, {Callers} concurrent callers, 100-byte value, {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine("| client | GET/s | × redis-benchmark -P 1 | × redis-benchmark -P 16 |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| redis-benchmark, {Callers} connections, -P 1 | {unpipelined:F0} | 1.00 | {unpipelined / pipelined:F2} |");
        Console.WriteLine($"| redis-benchmark, {Callers} connections, -P 16 | {pipelined:F0} | {pipelined / unpipelined:F2} | 1.00 |");
        Console.WriteLine($"| ours, {Callers} callers on one connection | {ours:F0} | {ours / unpipelined:F2} | {ours / pipelined:F2} |");
        Console.WriteLine($"| ours, 1 caller (one command at a time) | {single:F0} | {single / unpipelined:F2} | {single / pipelined:F2} |");
        return 0;
    }

    private static async Task<double> RunClientAsync(RedisClient client, int seconds, int callers = Callers)
    {
        var until = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var done = 0L;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            var mine = 0L;
            while (Stopwatch.GetTimestamp() < until)
            {
                await client.GetAsync("bench:key");
                mine++;
            }
            Interlocked.Add(ref done, mine);
        })));
        return done / clock.Elapsed.TotalSeconds;
    }

    /// <summary>redis-benchmark's own GET figure, with a request count that takes about the given time.</summary>
    private static double RedisBenchmark(string host, string port, int seconds, int pipeline)
    {
        var requests = 60_000L * seconds * pipeline;
        using var process = Process.Start(new ProcessStartInfo("redis-benchmark",
            $"-h {host} -p {port} -t get -d 100 -c {Callers} -n {requests} -P {pipeline} -q")
        {
            RedirectStandardOutput = true,
        })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var match = RequestsPerSecond().Match(output);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : throw new InvalidOperationException(output);
    }

    [GeneratedRegex(@"GET: ([0-9.]+) requests per second")]
    private static partial Regex RequestsPerSecond();
}
