using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace IntegrationTests.Fixtures;

/// <summary>
/// The Host as a real operating-system process on a loopback port, for tests about processes: crashes (SIGKILL),
/// restarts and several instances sharing one database.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private HostProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public HttpClient Client(TimeSpan? timeout = null) => new() { BaseAddress = Address, Timeout = timeout ?? TimeSpan.FromSeconds(30) };

    public static async Task<HostProcess> StartAsync(Deployment deployment, IReadOnlyDictionary<string, string>? settings = null)
    {
        var host = Launch(deployment, settings, []);
        await host.WaitUntilReadyAsync();
        return host;
    }

    /// <summary>Runs <c>Host migrate</c>, which applies every module's migrations and exits; returns its exit code and output.</summary>
    public static Task<(int ExitCode, string Output)> MigrateAsync(Deployment deployment) =>
        RunToExitAsync(deployment, new Dictionary<string, string> { ["Serilog:MinimumLevel:Default"] = "Information" }, ["migrate"]);

    /// <summary>Starts the Host and waits for it to exit by itself (it is expected to); returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(
        Deployment deployment, IReadOnlyDictionary<string, string> settings, string[] arguments, string environment = "Testing")
    {
        await using var host = Launch(deployment, settings, arguments, environment);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await host._process.WaitForExitAsync(timeout.Token);
        return (host._process.ExitCode, host.Output);
    }

    /// <summary>The CPU time the process has used so far (user and system), as /proc/PID/stat counts it.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            // The fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
            var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond);
        }
    }

    /// <summary>The process's resident memory now (VmRSS in /proc/PID/status), in bytes.</summary>
    public long ResidentBytes =>
        long.Parse(File.ReadLines($"/proc/{_process.Id}/status").Single(line => line.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;

    // USER_HZ, which Linux fixes at 100 on every architecture the tests run on.
    private const int ClockTicksPerSecond = 100;

    private static HostProcess Launch(Deployment deployment, IReadOnlyDictionary<string, string>? settings, string[] arguments, string environment = "Testing")
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var hostDll = HostBinary();
        var start = new ProcessStartInfo("dotnet", [hostDll, .. arguments])
        {
            WorkingDirectory = Path.GetDirectoryName(hostDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment["Auth__SigningKey"] = ApiFactory.SigningKey;
        start.Environment["Operator__ApiKey"] = ApiFactory.OperatorKey;
        start.Environment["Urls"] = address.ToString().TrimEnd('/');
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        foreach (var (key, value) in deployment.Settings.Concat(settings ?? new Dictionary<string, string>()))
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var process = Process.Start(start)!;
        // A host a test did not get to stop (its process died first) must not go on relaying against dead databases.
        AfterThisProcess.Run($"kill -9 {process.Id}");
        var host = new HostProcess(process, address);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, exactly what a crash or an OOM kill does.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
        }
        _process.Dispose();
        await Task.CompletedTask;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        using var client = Client(TimeSpan.FromSeconds(2));
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The host exited with {_process.ExitCode}:\n{Output}");
            }
            try
            {
                if ((await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The host did not become ready:\n{Output}");
    }

    /// <summary>The Host's own build output, in the configuration these tests were built in.</summary>
    private static string HostBinary()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var host = Path.Combine(Repository.Root, "src", "Host", "bin", testBin.Parent!.Name, testBin.Name, "Host.dll");
        return File.Exists(host) ? host : throw new FileNotFoundException("src/Host's build output was not found.", host);
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
