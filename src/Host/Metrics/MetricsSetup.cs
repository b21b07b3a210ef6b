namespace Host.Metrics;

internal static class MetricsSetup
{
    public static IServiceCollection AddPlatformMetrics(this IServiceCollection services) =>
        services.AddSingleton<PrometheusExporter>();

    /// <summary>Prometheus scrapes this. It is outside the API contract's authentication, as scrape targets usually are: keep it off public listeners.</summary>
    public static WebApplication MapPlatformMetrics(this WebApplication app)
    {
        // Resolved now, so that measurements are collected from start-up, not from the first scrape.
        var exporter = app.Services.GetRequiredService<PrometheusExporter>();
        app.MapGet("/metrics", () => Results.Text(exporter.Render(), "text/plain; version=0.0.4; charset=utf-8"))
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }
}
