using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace IntegrationTests.Fixtures;

/// <summary>
/// A real PostgreSQL server from Debian's binaries, started once per test run in a temporary directory on a free
/// loopback port, and stopped (its directory removed) once the test process has exited. There are two, as there are
/// two shard servers in the product's smallest deployment. Each test class gets databases of its own, owned by <see cref="AppRole"/>: the
/// service connects as that role, which is no superuser and cannot bypass row-level security. Tests inspect the
/// data as the superuser.
/// </summary>
public sealed class PostgresServer
{
    public const string AppRole = "polling_app";
    private static readonly Lazy<Task<PostgresServer>>[] Servers = [new(StartAsync), new(StartAsync)];

    private readonly string _dataDirectory;
    private readonly string _binDirectory;
    private int _databases;

    private PostgresServer(string dataDirectory, string binDirectory, int port)
    {
        _dataDirectory = dataDirectory;
        _binDirectory = binDirectory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The first server (<paramref name="index"/> 0) or the second (1).</summary>
    public static Task<PostgresServer> GetAsync(int index = 0) => Servers[index].Value;

    /// <summary>A server of the caller's own, for a test that stops it while other tests run on the shared ones.</summary>
    public static Task<PostgresServer> StartPrivateAsync() => StartAsync();

    public string ConnectionString(string database, string user = AppRole) =>
        $"Host=127.0.0.1;Port={Port};Database={database};Username={user};Maximum Pool Size=40";

    public string AdminConnectionString(string database) => ConnectionString(database, "postgres");

    /// <summary>A new, empty database on this server, owned by the service's role; returns its name.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"test_{Environment.ProcessId}_{Port}_{Interlocked.Increment(ref _databases)}";
        await ExecuteAsync($"CREATE DATABASE {name} OWNER {AppRole}");
        return name;
    }

    /// <summary>Stops the server as a crash would, for tests of a shard that is down; <see cref="StartAgainAsync"/> brings it back.</summary>
    public Task StopAsync() => RunAsPostgresAsync(Path.Combine(_binDirectory, "pg_ctl"), $"-D {_dataDirectory} -m immediate -w stop");

    // Durability settings are relaxed for speed: this server's data is thrown away after the run.
    public Task StartAgainAsync() => RunAsPostgresAsync(Path.Combine(_binDirectory, "pg_ctl"),
        $"-D {_dataDirectory} -l {_dataDirectory}/server.log -w -o \"-p {Port} -c listen_addresses=127.0.0.1 -k {_dataDirectory} " +
        "-c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off\" start");

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<PostgresServer> StartAsync()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException("PostgreSQL binaries were not found under /usr/lib/postgresql (apt-get install postgresql-15).");
        var data = Directory.CreateTempSubdirectory("polling-pg-").FullName;
        if (Environment.UserName == "root")
        {
            // PostgreSQL will not run as root: the cluster belongs to the postgres user the Debian package creates.
            await RunAsync("chown", $"postgres: {data}");
        }
        await RunAsPostgresAsync(Path.Combine(bin, "initdb"), $"-D {data} -U postgres -A trust --encoding=UTF8 --no-locale");
        var server = new PostgresServer(data, bin, FreePort());
        await server.StartAgainAsync();
        var stop = $"{Path.Combine(bin, "pg_ctl")} -D {data} -m immediate -w stop";
        AfterThisProcess.Run($"{(Environment.UserName == "root" ? "runuser -u postgres -- " : "")}{stop}; rm -rf {data}");
        await server.ExecuteAsync($"CREATE ROLE {AppRole} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE");
        return server;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task RunAsPostgresAsync(string program, string arguments) =>
        Environment.UserName == "root" ? RunAsync("runuser", $"-u postgres -- {program} {arguments}") : RunAsync(program, arguments);

    private static async Task RunAsync(string program, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {arguments} exited with {process.ExitCode}: {await output}{await error}");
        }
    }
}
