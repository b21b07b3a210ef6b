using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace IntegrationTests.Fixtures;

/// <summary>A real redis-server from Debian's package on a free loopback port, keeping nothing on disk; tests may kill and restart it.</summary>
public sealed class RedisServer : IAsyncLifetime
{
    private static readonly Lazy<Task<RedisServer>> SharedServer = new(async () =>
    {
        var server = new RedisServer();
        await server.StartAsync();
        return server;
    });

    private Process? _process;

    /// <summary>One server on its own port; whatever runs on that port when the test process exits is shut down.</summary>
    public RedisServer() => AfterThisProcess.Run($"redis-cli -p {Port} shutdown nosave");

    /// <summary>The server every deployment of the test run shares (each under its own key prefix); tests that kill Redis start their own.</summary>
    public static Task<RedisServer> GetSharedAsync() => SharedServer.Value;

    public int Port { get; } = FreePort();

    /// <summary>In StackExchange.Redis's format, as <c>ConnectionStrings:Redis</c> takes it.</summary>
    public string ConnectionString(int timeoutMilliseconds = 500) => $"127.0.0.1:{Port},asyncTimeout={timeoutMilliseconds},connectTimeout=1000";

    /// <summary>A connection of the test's own, to look at what the instances stored.</summary>
    public Task<ConnectionMultiplexer> ConnectAsync() => ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{Port},allowAdmin=true");

    public Task InitializeAsync() => StartAsync();

    public async Task StartAsync()
    {
        _process = Process.Start(new ProcessStartInfo("redis-server", $"--bind 127.0.0.1 --port {Port} --save \"\" --appendonly no")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("redis-server did not start (apt-get install redis-server).");
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException($"redis-server did not listen on {Port}.");
    }

    /// <summary>SIGKILL, as a crash or an OOM kill would.</summary>
    public void Kill()
    {
        _process?.Kill();
        _process?.WaitForExit();
        _process?.Dispose();
        _process = null;
    }

    public Task DisposeAsync()
    {
        Kill();
        return Task.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
