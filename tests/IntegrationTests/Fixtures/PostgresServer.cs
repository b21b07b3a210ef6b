using Npgsql;
using Testcontainers.PostgreSql;

namespace IntegrationTests.Fixtures;

/// <summary>
/// A real PostgreSQL server in a container (<see cref="TestContainers"/>), started once per test run. There are two,
/// as there are two shard servers in the product's smallest deployment. Each test class gets databases of its own,
/// owned by <see cref="AppRole"/>: the service connects as that role, which is no superuser and cannot bypass
/// row-level security. Tests inspect the data as the superuser.
/// </summary>
public sealed class PostgresServer
{
    public const string AppRole = "polling_app";
    // Passwords of throw-away servers that listen on 127.0.0.1 only.
    private const string AppPassword = "polling_app";
    private const string Superuser = "postgres";
    private static readonly Lazy<Task<PostgresServer>>[] Servers = [new(StartAsync), new(StartAsync)];

    private readonly PostgreSqlContainer _container;
    private int _databases;

    private PostgresServer(PostgreSqlContainer container, int port)
    {
        _container = container;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The first server (<paramref name="index"/> 0) or the second (1).</summary>
    public static Task<PostgresServer> GetAsync(int index = 0) => Servers[index].Value;

    /// <summary>A server of the caller's own, for a test that stops it while other tests run on the shared ones.</summary>
    public static Task<PostgresServer> StartPrivateAsync() => StartAsync();

    public string ConnectionString(string database, string user = AppRole) =>
        $"Host=127.0.0.1;Port={Port};Database={database};Username={user};Password={(user == AppRole ? AppPassword : Superuser)};Maximum Pool Size=40";

    public string AdminConnectionString(string database) => ConnectionString(database, Superuser);

    /// <summary>A new, empty database on this server, owned by the service's role; returns its name.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"test_{Environment.ProcessId}_{Port}_{Interlocked.Increment(ref _databases)}";
        await ExecuteAsync($"CREATE DATABASE {name} OWNER {AppRole}");
        return name;
    }

    /// <summary>Stops the server as a crash would, for tests of a shard that is down; <see cref="StartAgainAsync"/> brings it back.</summary>
    public Task StopAsync() => _container.KillAsync();

    public Task StartAgainAsync() => _container.StartAsync();

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<PostgresServer> StartAsync()
    {
        var container = new PostgreSqlBuilder(TestContainers.PostgresImage)
            .OnLoopback(PostgreSqlBuilder.PostgreSqlPort, out var port)
            .WithUsername(Superuser)
            .WithPassword(Superuser)
            .WithDatabase("postgres")
            // Durability is relaxed for speed: this server's data is thrown away after the run.
            .WithCommand("-c", "max_connections=400", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
            .Build();
        await container.StartOwnedAsync();
        var server = new PostgresServer(container, port);
        await server.ExecuteAsync($"CREATE ROLE {AppRole} LOGIN PASSWORD '{AppPassword}' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE");
        return server;
    }
}
