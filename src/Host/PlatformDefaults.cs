using Host.Health;
using Host.Http;
using Host.Logging;
using Host.OpenApi;
using Host.Telemetry;

namespace Host;

/// <summary>
/// The platform's own wiring, whatever modules a process hosts: logging, the HTTP conventions, the OpenAPI document
/// and Scalar page, health checks, metrics and traces. A module split into a process of its own later gets the same
/// from these two calls (and <see cref="HttpSetup.UsePlatformHttp"/> first in its pipeline).
/// </summary>
internal static class PlatformDefaults
{
    public static WebApplicationBuilder AddPlatformDefaults(this WebApplicationBuilder builder)
    {
        builder.AddPlatformLogging();
        builder.AddPlatformHttp();
        builder.Services.AddPlatformOpenApi();
        builder.Services.AddPlatformHealthChecks();
        builder.Services.AddPlatformTelemetry(builder.Configuration);
        return builder;
    }

    public static WebApplication MapPlatformDefaults(this WebApplication app)
    {
        app.MapPlatformOpenApi();
        app.MapPlatformHealthChecks();
        app.MapPlatformMetrics();
        return app;
    }
}
