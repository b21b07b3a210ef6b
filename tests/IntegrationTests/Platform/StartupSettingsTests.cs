namespace IntegrationTests.Platform;

/// <summary>A missing or malformed required setting stops the Host with one line that names it, and a non-zero exit code.</summary>
public sealed class StartupSettingsTests
{
    private static void AssertStoppedOn((int ExitCode, string Output) run, string key)
    {
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"one line, not:\n{run.Output}");
        Assert.StartsWith("Configuration error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(key, lines[0], StringComparison.Ordinal);
        Assert.Equal(78, run.ExitCode);
    }

    [Theory]
    [InlineData("ConnectionStrings:Catalog", "")]
    [InlineData("ConnectionStrings:Catalog", "not a connection string")]
    [InlineData("ConnectionStrings:Catalog", "Host=127.0.0.1;Colour=blue")]
    [InlineData("Sharding:Shards:shard-1", "")]
    [InlineData("ConnectionStrings:Redis", "127.0.0.1:port")]
    [InlineData("ConnectionStrings:Redis", "password=secret")]
    [InlineData("Caching:DistributedTimeout", "soon")]
    [InlineData("Sharding:MaxConnectionsPerShard", "many")]
    [InlineData("Auth:SigningKey", "too-short")]
    [InlineData("RateLimits:Policies:Votes:Limit", "0")]
    [InlineData("RateLimits:Policies:Public:Window", "00:00:00")]
    [InlineData("RateLimits:Instances", "0")]
    public async Task A_bad_setting_stops_the_host_with_one_line_naming_it(string key, string value)
    {
        var deployment = await Deployment.CreateAsync();
        var run = await HostProcess.RunToExitAsync(deployment, new Dictionary<string, string> { [key] = value }, []);
        AssertStoppedOn(run, key.StartsWith("Auth", StringComparison.Ordinal) ? "Auth:SigningKey" : key);
    }

    [Fact]
    public async Task Outside_development_the_published_development_key_stops_the_host()
    {
        var deployment = await Deployment.CreateAsync();
        var run = await HostProcess.RunToExitAsync(deployment,
            new Dictionary<string, string> { ["Auth:SigningKey"] = "development-only-signing-key-do-not-use-in-production-0123456789" }, [], environment: "Production");
        AssertStoppedOn(run, "Auth:SigningKey");
    }
}
