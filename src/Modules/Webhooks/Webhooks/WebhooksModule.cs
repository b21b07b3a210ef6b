using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Shared.Tenancy;
using Shared.Http;
using Shared.RateLimiting;
using Webhooks.Data;
using Webhooks.Delivery;
using Webhooks.Features.DeleteWebhook;
using Webhooks.Features.EnableWebhook;
using Webhooks.Features.FanOut;
using Webhooks.Features.ListDeliveries;
using Webhooks.Features.ListWebhooks;
using Webhooks.Features.RegisterWebhook;
using Webhooks.Features.RotateSecret;
using Wolverine;

namespace Webhooks;

/// <summary>The Webhooks module's only public surface: tenants' endpoints, and signed deliveries of poll events to them.</summary>
public static class WebhooksModule
{
    public static IServiceCollection AddWebhooksModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section))
            .Validate(o => o.Timeout > TimeSpan.Zero && o.DisableAfterFailures >= 1 && o.Concurrency >= 1 && o.MaxEndpointsPerTenant >= 1
                    && o.PollInterval > TimeSpan.Zero && o.RetryDelays.All(d => d > TimeSpan.Zero),
                "Webhooks: Timeout, PollInterval and every RetryDelays entry must be positive; DisableAfterFailures, Concurrency and MaxEndpointsPerTenant at least 1.")
            .ValidateOnStart();
        services.AddModuleDbContext<WebhooksDbContext>(WebhooksDbContext.Schema);
        services.AddSingleton<DestinationPolicy>();
        services.AddSingleton<WebhookSender>();
        services.AddScoped<DeliveryAttempts>();
        services.AddHostedService<WebhookDispatcher>();
        services.AddScoped<WebhookFanOut>();
        services.ConfigureWolverine(options => options.Discovery.IncludeType(typeof(FanOutHandler)));
        AddWebhookClient(services);
        return services;
    }

    /// <summary>
    /// The client deliveries go out on: every connection through the destination check, no proxy, no redirects, no
    /// cookies; a circuit breaker per receiving host, so a host that keeps failing is skipped for a while instead of
    /// being waited on; the configured timeout on each request. No retries here: those are the deliveries' own
    /// schedule, minutes to hours apart.
    /// </summary>
    private static void AddWebhookClient(IServiceCollection services)
    {
        services.AddHttpClient(WebhookSender.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(provider =>
            {
                var destinations = provider.GetRequiredService<DestinationPolicy>();
                return new SocketsHttpHandler
                {
                    ConnectCallback = destinations.ConnectAsync,
                    UseProxy = false,
                    AllowAutoRedirect = false,
                    UseCookies = false,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                };
            })
            .AddResilienceHandler("webhook-delivery", (pipeline, context) =>
            {
                var settings = context.ServiceProvider.GetRequiredService<IOptions<WebhookOptions>>().Value;
                pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = 1.0,
                    MinimumThroughput = 5,
                    SamplingDuration = TimeSpan.FromSeconds(60),
                    BreakDuration = TimeSpan.FromSeconds(30),
                });
                pipeline.AddTimeout(settings.Timeout);
            })
            .SelectPipelineByAuthority();
    }

    public static IEndpointRouteBuilder MapWebhooksEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapModuleGroup("/api/webhooks", "Webhooks").RequireRateLimiting(RateLimitPolicies.Members);
        RegisterWebhookEndpoint.Map(group);
        ListWebhooksEndpoint.Map(group);
        DeleteWebhookEndpoint.Map(group);
        RotateSecretEndpoint.Map(group);
        EnableWebhookEndpoint.Map(group);
        ListDeliveriesEndpoint.Map(group);
        return routes;
    }
}
