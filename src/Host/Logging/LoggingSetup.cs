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
        // The host's own logger, not Serilog's static one (preserveStaticLogger): with several hosts in one process (the
        // integration tests), the first to stop would otherwise close the static logger the others log through, and
        // replace it with one that writes nothing.
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
        }, preserveStaticLogger: true);
        return builder;
    }
}
