using System.Diagnostics.Metrics;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Shared.Caching;
using Shared.Messaging;
using Shared.Redis;
using Wolverine.Runtime;

namespace Host.Telemetry;

/// <summary>
/// Metrics and traces on the OpenTelemetry SDK. Metrics: ASP.NET Core's request durations by route and status, the
/// runtime's, Npgsql's, FusionCache's and the product's own meters (<c>Polling.*</c>), scraped at <c>/metrics</c>.
/// Traces: requests, database and Redis calls, exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
internal static class TelemetrySetup
{
    private const string ServiceName = "polling-platform";
    private const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddPlatformTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddMeter(CachingSetup.Meters)
                .AddMeter(WolverineSetup.Meters)
                .AddMeter("Polling.*")
                // Kestrel's memory pool counts every buffer it rents and returns, a few tagged increments per request:
                // 1.6 % of a cached read's CPU for a figure only its own tuning needs.
                .AddView("aspnetcore.memory_pool.*", MetricStreamConfiguration.Drop)
                // Likewise per request, and for tuning only: how many endpoints routing tried, and how long each request
                // held its rate-limit lease (1.5 % of a cached read's CPU with the limits off). What the limits refused
                // stays (aspnetcore.rate_limiting.requests).
                .AddView("aspnetcore.routing.match_attempts", MetricStreamConfiguration.Drop)
                .AddView("aspnetcore.rate_limiting.request_lease.duration", MetricStreamConfiguration.Drop)
                .AddView("aspnetcore.rate_limiting.active_request_leases", MetricStreamConfiguration.Drop)
                // Wolverine's stored-message gauges are not kept up to date here (see WolverineSetup); messages.waiting
                // counts them per shard instead.
                .AddView("wolverine-inbox-count", MetricStreamConfiguration.Drop)
                .AddView("wolverine-outbox-count", MetricStreamConfiguration.Drop)
                .AddView("wolverine-scheduled-count", MetricStreamConfiguration.Drop)
                .ConfigureMeters((provider, builder) =>
                {
                    // Figures of meters made by another host's services are not this host's: a process may run several
                    // hosts (the integration tests do), and same-named instruments from two of them would clash (a
                    // stopped host's then ended the stream of the same name here). Wolverine makes its meter itself,
                    // not through the meter factory, so it is told apart by instance.
                    var own = provider.GetRequiredService<IMeterFactory>();
                    var wolverine = provider.GetRequiredService<IWolverineRuntime>().Meter;
                    builder.AddView(instrument =>
                        (instrument.Meter.Scope is IMeterFactory other && other != own) || (instrument.Meter.Name == wolverine.Name && instrument.Meter != wolverine)
                            ? MetricStreamConfiguration.Drop
                            : null);
                })
                // Each scrape reads the figures as they are now (the exporter would otherwise answer from a copy up to 300 ms old).
                .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpoint]))
        {
            telemetry.WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation().AddNpgsql().AddOtlpExporter();
                if (RedisConnection.IsConfigured(configuration))
                {
                    tracing.AddRedisInstrumentation();
                }
            });
        }
        return services;
    }

    private static MeterProviderBuilder ConfigureMeters(this MeterProviderBuilder metrics, Action<IServiceProvider, MeterProviderBuilder> configure) =>
        ((IDeferredMeterProviderBuilder)metrics).Configure(configure);

    /// <summary>Prometheus scrapes this. It is outside the API contract's authentication, as scrape targets usually are: keep it off public listeners.</summary>
    public static WebApplication MapPlatformMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
