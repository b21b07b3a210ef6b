using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Shared.Data;

namespace Shared.Messaging;

public static class MessagingSetup
{
    /// <summary>The bus, its outbox schema and, unless <c>Messaging:RelayEnabled</c> is false, this instance's relay.</summary>
    public static IServiceCollection AddMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<MessagingOptions>(configuration.GetSection(MessagingOptions.Section));
        services.AddModuleDbContext<MessagingDbContext>(MessagingDbContext.Schema);
        MessageHandlerRegistration.Registry(services);
        services.AddSingleton<OutboxStore>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxWakeUp>();
        services.AddSingleton<IOutboxWakeUp>(provider => provider.GetRequiredService<OutboxWakeUp>());
        services.AddHostedService(provider => provider.GetRequiredService<OutboxWakeUp>());
        services.AddSingleton<OutboxCommitInterceptor>();
        services.AddSingleton<MessagingMetrics>();
        services.AddSingleton(provider => new DeadLetters(provider.GetRequiredService<OutboxStore>()));
        services.AddSingleton(provider => new OutboxHealthCheck(provider.GetRequiredService<OutboxStore>(), provider.GetRequiredService<IOptions<MessagingOptions>>()));
        services.AddScoped<IMessageBus, DurableMessageBus>();
        services.AddSingleton<IHostedService>(provider =>
            provider.GetRequiredService<IOptions<MessagingOptions>>().Value.RelayEnabled
                ? ActivatorUtilities.CreateInstance<OutboxRelay>(provider)
                : new NoRelay());
        return services;
    }

    /// <summary>Stands in for the relay on an instance configured not to deliver.</summary>
    private sealed class NoRelay : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
