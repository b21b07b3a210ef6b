using StackExchange.Redis;
using Testcontainers.Redis;

namespace IntegrationTests.Fixtures;

/// <summary>A real Redis in a container (<see cref="TestContainers"/>), keeping nothing on disk; tests may kill and restart it.</summary>
public sealed class RedisServer : IAsyncLifetime
{
    private static readonly Lazy<Task<RedisServer>> SharedServer = new(async () =>
    {
        var server = new RedisServer();
        await server.InitializeAsync();
        return server;
    });

    private readonly RedisContainer _container;

    public RedisServer()
    {
        _container = new RedisBuilder(TestContainers.RedisImage)
            .OnLoopback(RedisBuilder.RedisPort, out var port)
            .WithCommand("--save", "", "--appendonly", "no")
            .Build();
        Port = port;
    }

    /// <summary>The server every deployment of the test run shares (each under its own key prefix); tests that kill Redis start their own.</summary>
    public static Task<RedisServer> GetSharedAsync() => SharedServer.Value;

    public int Port { get; }

    /// <summary>In StackExchange.Redis's format, as <c>ConnectionStrings:Redis</c> takes it.</summary>
    public string ConnectionString(int timeoutMilliseconds = 500) => $"127.0.0.1:{Port},asyncTimeout={timeoutMilliseconds},connectTimeout=1000";

    /// <summary>A connection of the test's own, to look at what the instances stored.</summary>
    public Task<ConnectionMultiplexer> ConnectAsync() => ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{Port},allowAdmin=true");

    public Task InitializeAsync() => _container.StartOwnedAsync();

    /// <summary>Starts the server again after <see cref="KillAsync"/>, on the same port and empty.</summary>
    public Task StartAsync() => _container.StartAsync();

    /// <summary>SIGKILL, as a crash or an OOM kill would.</summary>
    public Task KillAsync() => _container.KillAsync();

    public async Task DisposeAsync() => await _container.DisposeAsync();
}
