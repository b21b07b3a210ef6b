using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Shared.Data;
using Shared.Tenancy;

namespace Shared.Messaging;

public static class MessagingSetup
{
    /// <summary>The bus, each shard's outbox schema and, unless <c>Messaging:RelayEnabled</c> is false, this instance's bid to own shard relays.</summary>
    public static IServiceCollection AddMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<MessagingOptions>(configuration.GetSection(MessagingOptions.Section));
        services.AddPlatformSchema<MessagingDbContext>(MessagingDbContext.Schema, DatabaseRole.Shard);
        MessageHandlerRegistration.Registry(services);
        services.AddSingleton<OutboxShards>();
        services.AddSingleton<OutboxWakeUp>();
        services.AddSingleton<IOutboxWakeUp>(provider => provider.GetRequiredService<OutboxWakeUp>());
        services.AddHostedService(provider => provider.GetRequiredService<OutboxWakeUp>());
        services.AddSingleton<IModuleContextInterceptor, OutboxCommitInterceptor>();
        // The relay's bookkeeping on an outbox row goes on while a moving tenant's own writes are paused: its handlers are
        // refused during the move and their messages postponed. What these say on the target cannot lose or repeat a
        // message: the target's relay delivers whatever is undelivered there, and the copied inbox drops what was handled.
        services.AddSingleton(new UnfencedColumns($"{MessagingDbContext.Schema}.outbox", ["due_at", "attempts", "last_error", "dispatched_at"]));
        services.AddSingleton<MessagingMetrics>();
        services.AddSingleton(provider => new DeadLetters(provider.GetRequiredService<OutboxShards>()));
        services.AddSingleton(provider => new OutboxHealthCheck(provider.GetRequiredService<OutboxShards>(), provider.GetRequiredService<IOptions<MessagingOptions>>()));
        services.AddScoped<IMessageBus, DurableMessageBus>();
        services.AddScoped<AfterCommit>();
        services.AddSingleton<IHostedService>(provider =>
            provider.GetRequiredService<IOptions<MessagingOptions>>().Value.RelayEnabled
                ? ActivatorUtilities.CreateInstance<RelayOwnership>(provider)
                : new NoRelay());
        return services;
    }

    /// <summary>Stands in for the relays on an instance configured not to deliver.</summary>
    private sealed class NoRelay : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
