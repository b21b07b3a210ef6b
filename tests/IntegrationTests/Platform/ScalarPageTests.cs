namespace IntegrationTests.Platform;

/// <summary>A person opens /scalar in a real browser and finds every module's routes documented there.</summary>
public sealed class ScalarPageTests
{
    [Fact]
    public async Task The_reference_page_renders_the_routes_of_all_three_modules_in_headless_Chromium_under_its_policy_and_fetches_nothing_from_outside()
    {
        await using var factory = new ApiFactory(await Deployment.CreateAsync());
        var address = factory.StartOnLoopback();

        string[] expected =
        [
            "Create a tenant and its first admin", "/api/auth/token", "/api/api-keys/{id}",
            "Create a poll (as a draft)", "/api/polls/{pollId}/open", "/api/polls/{pollId}/results",
            "Cast a vote", "/api/public/polls/{pollId}/votes", "/api/public/polls/{pollId}/results",
        ];
        var screenshot = Path.Combine(Path.GetTempPath(), "scalar-page.png");
        var output = await RunNodeAsync(["scalar-page.mjs", $"{address}/scalar", screenshot, .. expected]);

        var page = JsonDocument.Parse(output).RootElement;
        Assert.Equal(expected, page.GetProperty("found").EnumerateArray().Select(e => e.GetString()!).ToArray());
        // The page is served whole by the Host: no fonts, telemetry, toolbar or anything else from outside.
        Assert.Empty(page.GetProperty("outside").EnumerateArray());
        Assert.Empty(page.GetProperty("failures").EnumerateArray());
        // It renders under its content security policy, which blocked nothing it needed.
        Assert.StartsWith("default-src 'self';", page.GetProperty("policy").GetString(), StringComparison.Ordinal);
        Assert.Empty(page.GetProperty("blocked").EnumerateArray());
    }

    private static async Task<string> RunNodeAsync(string[] arguments)
    {
        var (exitCode, output, error) = await ToolProcess.RunAsync("node", BrowserTestsDirectory(), arguments,
            new Dictionary<string, string> { ["TAGS"] = "Identity,Polls,Votes" });
        Assert.True(exitCode == 0, $"node exited with {exitCode}: {error}");
        return output.Trim().Split('\n')[^1];
    }

    private static string BrowserTestsDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Browser");
            if (File.Exists(Path.Combine(candidate, "scalar-page.mjs")))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("tests/Browser was not found above the test binaries.");
    }
}
