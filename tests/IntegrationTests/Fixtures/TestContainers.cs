using System.Diagnostics;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;

namespace IntegrationTests.Fixtures;

/// <summary>
/// What the fixtures' containers share: their images (configuration, with the official images as defaults;
/// <c>./test.sh</c> points them at stand-ins built from Debian's packages when no registry answers), a fixed port on
/// 127.0.0.1 (so that a server restarted by a fault test is where the Host left it), the label test.sh clears by,
/// and a clean-up that removes the container once the test process has gone, however it went (the reaper cannot
/// run without a registry).
/// </summary>
internal static class TestContainers
{
    public static string PostgresImage => Environment.GetEnvironmentVariable("TEST_POSTGRES_IMAGE") is { Length: > 0 } image ? image : "postgres:15";

    public static string RedisImage => Environment.GetEnvironmentVariable("TEST_REDIS_IMAGE") is { Length: > 0 } image ? image : "redis:7";

    private static string Label => Environment.GetEnvironmentVariable("TEST_CONTAINER_LABEL") is { Length: > 0 } label ? label : "polling-platform.tests";

    /// <summary>The container port published on a free port of 127.0.0.1, which it keeps across restarts.</summary>
    public static TBuilder OnLoopback<TBuilder, TContainer, TConfiguration>(this ContainerBuilder<TBuilder, TContainer, TConfiguration> builder, int containerPort, out int hostPort)
        where TBuilder : ContainerBuilder<TBuilder, TContainer, TConfiguration>
        where TContainer : IContainer
        where TConfiguration : IContainerConfiguration
    {
        var port = hostPort = HostProcess.FreePort();
        return builder
            .WithPortBinding(port, containerPort)
            .WithLabel(Label, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithCreateParameterModifier(parameters =>
            {
                foreach (var binding in parameters.HostConfig?.PortBindings?.Values.SelectMany(bindings => bindings) ?? [])
                {
                    binding.HostIP = IPAddress.Loopback.ToString();
                }
            });
    }

    /// <summary>Starts the container and makes sure it does not outlive this test process.</summary>
    public static async Task StartOwnedAsync(this IContainer container)
    {
        await container.StartAsync();
        AfterThisProcess.Run($"docker rm -f {container.Id}");
    }

    /// <summary>SIGKILL to the server, as a crash or an OOM kill would do; <c>StartAsync</c> brings the container back.</summary>
    public static async Task KillAsync(this IContainer container)
    {
        await DockerAsync("kill", container.Id);
        // Docker answers the kill before it has marked the container stopped, and a start before that is refused.
        await DockerAsync("wait", container.Id);
    }

    private static async Task DockerAsync(params string[] arguments)
    {
        using var docker = Process.Start(new ProcessStartInfo("docker", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("The docker command did not start.");
        var output = docker.StandardOutput.ReadToEndAsync();
        var error = docker.StandardError.ReadToEndAsync();
        await docker.WaitForExitAsync();
        if (docker.ExitCode != 0)
        {
            throw new InvalidOperationException($"docker {string.Join(' ', arguments)} exited with {docker.ExitCode}: {await output}{await error}");
        }
    }
}
