using System.Reflection;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shared.Http;
using Shared.Tenancy;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Postgresql;
using Wolverine.Runtime;

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
    /// nothing is discovered by scanning. <paramref name="generatedCode"/> is the assembly holding the generated handler
    /// pipelines (the Host's).
    /// </summary>
    public static void UsePlatformMessaging(this IHostApplicationBuilder builder, ShardMap shards, Assembly generatedCode)
    {
        var section = builder.Configuration.GetSection(MessagingOptions.Section);
        var settings = section.Get<MessagingOptions>() ?? new();
        builder.Services.Configure<MessagingOptions>(section);
        builder.Services.AddScoped<Outbox>();
        builder.Services.AddScoped<AfterCommit>();
        builder.Services.AddSingleton<HandlerTransactions>();
        builder.Services.AddSingleton<AppliedMessages>();
        builder.Services.AddSingleton<DeadLetters>();
        builder.Services.AddSingleton<ITenantMoveParticipant, TenantMessages>();
        builder.Services.AddSingleton<MessageBacklog>();
        builder.Services.AddHostedService(services => services.GetRequiredService<MessageBacklog>());
        builder.Services.AddHealthChecks().AddCheck<MessageBacklogHealthCheck>("messages", tags: [HealthTags.Ready]);
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
            // Handler pipelines are generated ahead (scripts/handler-code.sh writes them into the Host, and the test
            // script fails while they are out of date), so Roslyn is not loaded at run time. A pipeline with no
            // generated class is compiled at start-up instead (HandlerWarmUp says which), never skipped: Auto, not
            // Static, whose generated handler list would also register the handlers of modules switched off.
            options.ApplicationAssembly = generatedCode;
            options.UseRuntimeCompilation();
            options.CodeGeneration.TypeLoadMode = TypeLoadMode.Auto;
            options.CodeGeneration.SourceCodeWritingEnabled = false;
            options.Durability.Mode = DurabilityMode.Balanced;
            // A killed instance's messages are taken over once the others find it stale: stale after four missed
            // heartbeats (seen on two looks in a row), then its messages are recovered at the next look for orphans.
            // Wolverine's defaults (10 s heartbeats, a minute, 5 s looks) took 22 s; the contract is 10.
            options.Durability.HealthCheckPollingTime = TimeSpan.FromMilliseconds(settings.HeartbeatMilliseconds);
            options.Durability.StaleNodeTimeout = 4 * TimeSpan.FromMilliseconds(settings.HeartbeatMilliseconds);
            options.Durability.ScheduledJobPollingTime = TimeSpan.FromMilliseconds(settings.RecoveryIntervalMilliseconds);
            options.Durability.OrphanedMessageSweepPollingTime = TimeSpan.FromMilliseconds(settings.RecoveryIntervalMilliseconds);
            // Handled messages are kept a while, so that a repeat delivery is recognised, then deleted.
            options.Durability.KeepAfterMessageHandling = TimeSpan.FromSeconds(settings.KeepHandledSeconds);
            options.Durability.HandledMessageCleanupPollingTime = TimeSpan.FromSeconds(settings.HousekeepingIntervalSeconds);
            // Its stored-message gauges come out as one series, not one per database (see MessageBacklog), so the
            // counting behind them, every 5 s on every database, is spared.
            options.Durability.DurabilityMetricsEnabled = false;
            // Quick retries for a passing conflict, then slower ones across instances, then a dead letter to replay.
            options.OnException<Exception>()
                .RetryWithCooldown(50.Milliseconds(), 200.Milliseconds(), 1.Seconds())
                .Then.ScheduleRetry(5.Seconds(), 30.Seconds())
                .Then.MoveToErrorQueue()
                // Each wait up to half as long again, at random: messages failing together retry apart.
                .WithBoundedJitter(0.5);
        });
        // After Wolverine's own start-up, which this needs.
        builder.Services.AddSingleton<HandlerWarmUp>();
        builder.Services.AddHostedService(services => services.GetRequiredService<HandlerWarmUp>());
    }

    /// <summary>
    /// Creates or updates Wolverine's tables on the catalog and every shard, for <c>Host migrate</c>: its runtime builds
    /// them as it starts (the shards' stores exist only from then on), so it is started and stopped again.
    /// </summary>
    public static async Task MigrateMessageStorageAsync(this IServiceProvider services)
    {
        var runtime = (WolverineRuntime)services.GetRequiredService<IWolverineRuntime>();
        await runtime.StartAsync(CancellationToken.None);
        await runtime.StopAsync(CancellationToken.None);
    }
}
