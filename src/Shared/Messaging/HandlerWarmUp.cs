using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wolverine.Runtime;

namespace Shared.Messaging;

/// <summary>
/// Compiles every handler's pipeline while the Host starts, before it answers: Wolverine otherwise compiles a pipeline
/// when its first message arrives, which took 2.6 s on an idle machine and over 5 s under load, long enough for the
/// first poll opened after a deployment to answer 503 while waiting for Votes to apply it.
/// </summary>
internal sealed class HandlerWarmUp(IWolverineRuntime runtime, ILogger<HandlerWarmUp> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var handlers = ((WolverineRuntime)runtime).Handlers;
        var started = TimeProvider.System.GetTimestamp();
        var compiled = 0;
        foreach (var chain in handlers.Chains)
        {
            // A message with one handler runs its chain; one with several runs a chain per handler, each on its own queue.
            if (chain.Handlers.Count > 0)
            {
                handlers.HandlerFor(chain.MessageType);
                compiled++;
            }
            foreach (var endpoint in chain.ByEndpoint.SelectMany(handler => handler.Endpoints))
            {
                handlers.HandlerFor(chain.MessageType, endpoint);
                compiled++;
            }
        }
        logger.LogInformation("Compiled {Count} message handler pipelines in {Elapsed}", compiled, TimeProvider.System.GetElapsedTime(started));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
