using System.Diagnostics;

namespace IntegrationTests.Fixtures;

/// <summary>
/// Clean-up that runs once this test process has gone, however it went. Exit handlers do not always run (a test host
/// torn down by its runner skips them), and the servers the fixtures start would otherwise pile up on a developer's
/// machine, run after run. A small shell in a session of its own waits for this process and then does the job.
/// </summary>
internal static class AfterThisProcess
{
    public static void Run(string shellCommand)
    {
        var script = $"exec </dev/null >/dev/null 2>&1; while kill -0 {Environment.ProcessId}; do sleep 1; done; {shellCommand}";
        // Its own standard streams, closed at once by the script: it must not hold the test host's output open.
        using var watcher = Process.Start(new ProcessStartInfo("setsid", ["bash", "-c", script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("Could not start the clean-up watcher (setsid, bash).");
    }
}
