using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace IntegrationTests.Fixtures;

/// <summary>
/// A real PostgreSQL server from Debian's binaries, started once per test run in a temporary directory on a free
/// loopback port, and stopped when the test process exits. Each test class gets a database of its own.
/// </summary>
public sealed class PostgresServer
{
    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync);

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

    public static Task<PostgresServer> GetAsync() => Shared.Value;

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Database={database};Username=postgres;Maximum Pool Size=40";

    /// <summary>A new, empty database on this server.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"test_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
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
        var port = FreePort();
        // Durability settings are relaxed for speed: this server's data is thrown away after the run.
        await RunAsPostgresAsync(Path.Combine(bin, "pg_ctl"),
            $"-D {data} -l {data}/server.log -w -o \"-p {port} -c listen_addresses=127.0.0.1 -k {data} -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off\" start");
        var server = new PostgresServer(data, bin, port);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        return server;
    }

    private void Stop()
    {
        RunAsPostgresAsync(Path.Combine(_binDirectory, "pg_ctl"), $"-D {_dataDirectory} -m immediate -w stop").GetAwaiter().GetResult();
        Directory.Delete(_dataDirectory, recursive: true);
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
