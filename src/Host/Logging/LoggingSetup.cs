using Serilog;
using Serilog.Formatting.Compact;

namespace Host.Logging;

internal static class LoggingSetup
{
    /// <summary>
    /// Serilog to the console: readable text in Development, one JSON object a line everywhere else. Each line written
    /// during a request carries its trace id (Serilog takes it from the current activity; @tr in JSON).
    /// </summary>
    public static WebApplicationBuilder AddPlatformLogging(this WebApplicationBuilder builder)
    {
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.ReadFrom.Configuration(builder.Configuration).Enrich.FromLogContext();
            if (development)
            {
                logger.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {TraceId} {SourceContext}: {Message:lj}{NewLine}{Exception}");
            }
            else
            {
                logger.WriteTo.Console(new CompactJsonFormatter());
            }
        });
        return builder;
    }
}
