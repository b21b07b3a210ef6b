using System.Collections.Concurrent;

namespace IntegrationTests.Platform;

/// <summary>Traces on a real Host process: one trace id in the problem body, the request's log lines and the exported spans.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task A_requests_trace_id_is_its_problems_traceId_its_X_Request_Id_and_in_its_log_lines()
    {
        var deployment = await Deployment.CreateAsync();
        await using var host = await HostProcess.StartAsync(deployment, new Dictionary<string, string>
        {
            // Request completion lines are Debug for anything but failures; show them.
            ["Serilog:MinimumLevel:Override:Serilog.AspNetCore.RequestLoggingMiddleware"] = "Debug",
        });
        var response = await host.Client().GetAsync($"/api/public/polls/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var traceId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("traceId").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        Assert.Equal(traceId, response.Headers.GetValues("X-Request-Id").Single());

        // Outside Development each line is a JSON object; Serilog writes the trace id as @tr.
        var line = await Eventually.GetAsync(() => Task.FromResult(host.Output.Split('\n').FirstOrDefault(l => l.Contains("/api/public/polls/", StringComparison.Ordinal))),
            l => l is not null, "the request's completion line");
        Assert.Equal(traceId, JsonDocument.Parse(line!).RootElement.GetProperty("@tr").GetString());
    }

    [Fact]
    public async Task A_cache_read_writes_no_log_line()
    {
        // FusionCache logs every call and return at Information: two lines a read, which under load cost more than the
        // read itself (the console sink's lock and flush). Only its warnings and errors are kept.
        var deployment = await Deployment.CreateAsync();
        await using var host = await HostProcess.StartAsync(deployment);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await host.Client().GetAsync($"/api/public/polls/{Guid.NewGuid()}")).StatusCode);
        }
        var metrics = await host.Client().GetStringAsync("/metrics");
        Assert.Contains("fusioncache_", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("ZiggyCreatures.Caching.Fusion", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_an_otlp_endpoint_set_the_spans_of_a_request_and_its_database_calls_are_exported_there()
    {
        using var collector = new OtlpCollector();
        var deployment = await Deployment.CreateAsync();
        await using var host = await HostProcess.StartAsync(deployment, new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Address,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        });
        var response = await host.Client().PostAsJsonAsync("/api/auth/token", new { tenant = "nobody", email = "no@one.example", password = "wrong password here" });
        var traceId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("traceId").GetString()!;

        // OTLP carries the trace id as its 16 raw bytes; a request that read the database exports more than one span of it.
        var wanted = Convert.FromHexString(traceId);
        await Eventually.GetAsync(() => Task.FromResult(collector.Batches.Sum(batch => Occurrences(batch, wanted))), n => n >= 2,
            "the request's span and a database span", seconds: 15);
    }

    private static int Occurrences(byte[] haystack, byte[] needle)
    {
        var count = 0;
        ReadOnlySpan<byte> rest = haystack;
        while (rest.IndexOf(needle) is var at and >= 0)
        {
            count++;
            rest = rest[(at + needle.Length)..];
        }
        return count;
    }

    /// <summary>An OTLP/HTTP receiver on a loopback port: keeps each body posted to /v1/traces and answers 200.</summary>
    private sealed class OtlpCollector : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly CancellationTokenSource _stop = new();

        public OtlpCollector()
        {
            var port = FreePort();
            Address = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(Address + "/");
            _listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public string Address { get; }

        public ConcurrentBag<byte[]> Batches { get; } = [];

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Close();
            _stop.Dispose();
        }

        private async Task ServeAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                if (context.Request.Url!.AbsolutePath == "/v1/traces")
                {
                    Batches.Add(body.ToArray());
                }
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        }

        private static int FreePort()
        {
            using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
