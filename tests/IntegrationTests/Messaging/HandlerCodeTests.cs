using Microsoft.Extensions.DependencyInjection;
using Shared.Messaging;

namespace IntegrationTests.Messaging;

/// <summary>
/// The Host runs the handler pipelines generated ahead into it (scripts/handler-code.sh) rather than compiling them
/// with Roslyn as it starts, which cost 2.5 s of start-up and about 130 MB for good. One missing from the generated
/// code is compiled, not skipped: its messages are still handled.
/// </summary>
public sealed class HandlerCodeTests(MessagingFixture api) : IClassFixture<MessagingFixture>
{
    [Fact]
    public void The_modules_pipelines_come_from_the_generated_code_and_only_the_tests_probe_is_compiled()
    {
        var warmUp = api.Factory.Services.GetRequiredService<HandlerWarmUp>();

        // Votes and Webhooks each handle poll events; the probe is this test assembly's and has no generated class.
        Assert.True(warmUp.Loaded > 5, $"{warmUp.Loaded} pipelines loaded");
        var compiled = Assert.Single(warmUp.Compiled);
        Assert.StartsWith(nameof(Probe), compiled);
    }
}
