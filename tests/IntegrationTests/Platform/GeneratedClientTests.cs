using System.Text.RegularExpressions;

namespace IntegrationTests.Platform;

/// <summary>
/// A client developer's view: TypeScript types generated from the live document (openapi-typescript), the README's
/// flow written on them with openapi-fetch (tests/OpenApi/client/flow.ts), compiled with tsc --strict and run against
/// a real server. It compiles only if the document types every body and error the flow touches.
/// </summary>
public sealed class GeneratedClientTests
{
    [Fact]
    public async Task A_client_generated_from_the_document_runs_the_whole_flow_and_reads_already_voted_from_a_typed_error()
    {
        await using var factory = new ApiFactory(await Deployment.CreateAsync());
        var address = factory.StartOnLoopback();
        var tools = Path.Combine(Repository.Root, "tests", "OpenApi");
        var client = Path.Combine(tools, "client");

        var source = await File.ReadAllTextAsync(Path.Combine(client, "flow.ts"));
        var code = string.Join('\n', source.Split('\n').Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal)));
        Assert.DoesNotMatch(new Regex(@"\b(any|unknown)\b|\bas\s+[A-Za-z{]|<[A-Za-z]+>\s*\w"), code);

        await Run(Path.Combine(tools, "node_modules", ".bin", "openapi-typescript"), tools, 
            // Members with a default stay optional in what the client sends (the generator's default makes them required).
            [$"{address}/openapi/v1.json", "--default-non-nullable=false", "--output", Path.Combine(client, "api.d.ts")]);
        await Run(Path.Combine(tools, "node_modules", ".bin", "tsc"), client, ["--project", "tsconfig.json"]);
        var output = await Run("node", client, [Path.Combine("out", "flow.js"), address]);

        var flow = JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;
        Assert.Equal("already_voted", flow.GetProperty("duplicate").GetString());
        Assert.Equal(1, flow.GetProperty("totalVotes").GetInt32());
    }

    private static async Task<string> Run(string program, string directory, string[] arguments)
    {
        var (exitCode, output, error) = await ToolProcess.RunAsync(program, directory, arguments);
        Assert.True(exitCode == 0, $"{Path.GetFileName(program)} exited with {exitCode}: {output}{error}");
        return output;
    }
}
