using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shared.Tenancy;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Postgresql;

namespace Shared.Messaging;

public static class WolverineSetup
{
    /// <summary>The schema Wolverine keeps its inbox, outbox, schedules and dead letters in, on the catalog and on every shard.</summary>
    public const string Schema = "wolverine";

    /// <summary>Wolverine's meter: messages sent, handled, failed and dead-lettered, their execution and end-to-end times.</summary>
    public const string Meters = "Wolverine:" + ServiceName;

    private const string ServiceName = "polling-platform";

    /// <summary>
    /// Wolverine as the bus between modules: durable local queues, each shard's messages stored on that shard (its
    /// "tenant" in Wolverine's terms is our shard, so connections grow with shards, not tenants), the catalog holding
    /// the nodes and their agents. Handlers are registered by their modules (<see cref="HostBuilderExtensions.ConfigureWolverine"/>);
    /// nothing is discovered by scanning.
    /// </summary>
    public static void UsePlatformMessaging(this IHostApplicationBuilder builder, ShardMap shards)
    {
        var settings = builder.Configuration.GetSection(MessagingOptions.Section).Get<MessagingOptions>() ?? new();
        builder.Services.AddScoped<Outbox>();
        builder.Services.AddSingleton<HandlerTransactions>();
        builder.Services.AddSingleton<AppliedMessages>();
        builder.UseWolverine(options =>
        {
            options.ServiceName = ServiceName;
            options.Discovery.DisableConventionalDiscovery();
            // An event two modules handle runs once for each, in its own transaction, retried on its own.
            options.MultipleHandlerBehavior = MultipleHandlerBehavior.Separated;
            options.PersistMessagesWithPostgresql(shards.Catalog, Schema)
                .RegisterStaticTenantsByDataSource(tenants =>
                {
                    foreach (var shardId in shards.ShardIds)
                    {
                        tenants.Register(shardId, shards.Shard(shardId));
                    }
                });
            options.Policies.UseDurableLocalQueues();
            options.AutoBuildMessageStorageOnStartup = AutoCreate.CreateOrUpdate;
            options.UseRuntimeCompilation();
            options.CodeGeneration.TypeLoadMode = TypeLoadMode.Dynamic;
            options.Durability.Mode = DurabilityMode.Balanced;
            // A killed instance's messages are taken over once it is found stale; the default minute is too long.
            options.Durability.StaleNodeTimeout = 5.Seconds();
            // Handled messages are kept a while, so that a repeat delivery is recognised, then deleted.
            options.Durability.KeepAfterMessageHandling = TimeSpan.FromSeconds(settings.RetainDispatchedSeconds);
            options.Durability.HandledMessageCleanupPollingTime = TimeSpan.FromSeconds(settings.HousekeepingIntervalSeconds);
            // Quick retries for a passing conflict, then slower ones across instances, then a dead letter to replay.
            options.OnException<Exception>()
                .RetryWithCooldown(50.Milliseconds(), 200.Milliseconds(), 1.Seconds())
                .Then.ScheduleRetry(5.Seconds(), 30.Seconds())
                .Then.MoveToErrorQueue();
        });
        // After Wolverine's own start-up, which this needs.
        builder.Services.AddHostedService<HandlerWarmUp>();
    }
}
