using System.Diagnostics;
using System.Net.Sockets;

namespace IntegrationTests.Platform;

/// <summary>The README's first command, as a newcomer runs it, in Production: <c>./run.sh</c> with its own servers on free ports.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RunScriptTests
{
    [Fact]
    public async Task Run_sh_serves_in_production_on_its_own_servers_and_stops_them_when_it_stops()
    {
        var state = Directory.CreateTempSubdirectory("run-sh-");
        // The postgres user must reach the data directories inside.
        File.SetUnixFileMode(state.FullName, (UnixFileMode)0b111_101_101);
        var (pg, pg2, redis, api) = (HostProcess.FreePort(), HostProcess.FreePort(), HostProcess.FreePort(), HostProcess.FreePort());
        var start = new ProcessStartInfo("setsid", ["bash", Path.Combine(Repository.Root, "run.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["Auth__SigningKey"] = Convert.ToBase64String(Guid.NewGuid().ToByteArray()) + Convert.ToBase64String(Guid.NewGuid().ToByteArray()),
                ["PG_PORT"] = $"{pg}",
                ["PG2_PORT"] = $"{pg2}",
                ["REDIS_PORT"] = $"{redis}",
                ["RUN_STATE"] = state.FullName,
                ["Urls"] = $"http://127.0.0.1:{api}",
            },
        };
        using var script = Process.Start(start)!;
        // setsid made the script the leader of its own process group: one signal reaches it and the Host.
        AfterThisProcess.Run($"kill -TERM -- -{script.Id}");
        var output = new System.Text.StringBuilder();
        script.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        script.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        script.BeginOutputReadLine();
        script.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{api}"), Timeout = TimeSpan.FromSeconds(5) };
            await Eventually.GetAsync(async () =>
            {
                if (script.HasExited)
                {
                    // Read under the lock the output handlers append under: a StringBuilder read while another thread
                    // appends can throw (it did, on every poll that raced an appended line, failing a healthy run).
                    lock (output)
                    {
                        Assert.Fail($"run.sh exited with {script.ExitCode}:\n{output}");
                    }
                }
                try
                {
                    return (await client.GetAsync("/health/ready")).StatusCode;
                }
                catch (HttpRequestException)
                {
                    return HttpStatusCode.ServiceUnavailable;
                }
            }, s => s == HttpStatusCode.OK, "run.sh's Host ready", seconds: 240);

            var slug = "run" + Guid.NewGuid().ToString("N")[..12];
            var signup = await client.PostAsJsonAsync("/api/tenants",
                new { name = "Run", slug, adminEmail = $"a@{slug}.example", adminPassword = ApiFixture.Password });
            Assert.Equal(HttpStatusCode.Created, signup.StatusCode);
        }
        finally
        {
            Process.Start("kill", ["-TERM", "--", $"-{script.Id}"])!.WaitForExit();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await script.WaitForExitAsync(timeout.Token);
        }
        // Its servers went with it.
        foreach (var port in new[] { pg, pg2, redis })
        {
            using var probe = new TcpClient();
            await Assert.ThrowsAnyAsync<SocketException>(() => probe.ConnectAsync(IPAddress.Loopback, port));
        }
        state.Delete(recursive: true);
    }
}
