using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wolverine;
using Wolverine.Runtime;
using Wolverine.Runtime.Handlers;

namespace Shared.Messaging;

/// <summary>
/// Loads every handler's pipeline while the Host starts, before it answers: Wolverine otherwise does it when the first
/// message arrives. A pipeline missing from the generated code is compiled here instead, which took 2.6 s on an idle
/// machine and over 5 s under load (long enough for the first poll opened after a deployment to answer 503 while
/// waiting for Votes to apply it), and loads Roslyn for good: that is logged as a warning naming the pipelines.
/// </summary>
internal sealed class HandlerWarmUp(IWolverineRuntime runtime, WolverineOptions options, ILogger<HandlerWarmUp> logger) : IHostedService
{
    public int Loaded { get; private set; }

    /// <summary>The pipelines that had no generated class and were compiled at start-up.</summary>
    public IReadOnlyList<string> Compiled { get; private set; } = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        var pipelines = Load(((WolverineRuntime)runtime).Handlers).Select(pipeline => pipeline.GetType()).ToList();
        Loaded = pipelines.Count;
        Compiled = pipelines.Where(pipeline => pipeline.Assembly != options.ApplicationAssembly).Select(pipeline => pipeline.Name).ToList();
        logger.LogInformation("Loaded {Count} message handler pipelines in {Elapsed}", Loaded, TimeProvider.System.GetElapsedTime(started));
        if (Compiled.Count > 0)
        {
            logger.LogWarning("Compiled {Count} message handler pipelines missing from the generated code ({Pipelines}); scripts/handler-code.sh writes them",
                Compiled.Count, string.Join(", ", Compiled));
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static IEnumerable<IMessageHandler> Load(HandlerGraph handlers)
    {
        foreach (var chain in handlers.Chains)
        {
            // A message with one handler runs its chain; one with several runs a chain per handler, each on its own queue.
            if (chain.Handlers.Count > 0)
            {
                yield return handlers.HandlerFor(chain.MessageType)!;
            }
            foreach (var endpoint in chain.ByEndpoint.SelectMany(handler => handler.Endpoints))
            {
                yield return handlers.HandlerFor(chain.MessageType, endpoint)!;
            }
        }
    }
}
