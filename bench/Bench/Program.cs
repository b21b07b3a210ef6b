using Bench;

// bench baseline-server URL        a bare minimal-API endpoint, the HTTP baseline
// bench report API BASELINE PG SECONDS   runs every scenario against running servers and prints the report
// bench redis-get HOST:PORT SECONDS       our Redis client's GET throughput, against redis-benchmark on the same server
return args switch
{
    ["baseline-server", var url] => await BaselineServer.RunAsync(url),
    ["report", var api, var baseline, var postgres, var seconds] => await Report.RunAsync(new Uri(api), new Uri(baseline), postgres, int.Parse(seconds)),
    ["redis-get", var endpoint, var seconds] => await RedisGetBench.RunAsync(endpoint, int.Parse(seconds)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Bench baseline-server URL | Bench report API_URL BASELINE_URL PG_CONNECTION SECONDS | Bench redis-get HOST:PORT SECONDS");
    return 2;
}
