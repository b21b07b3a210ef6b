using Serilog.Events;

namespace Host.Logging;

/// <summary>
/// The level of each request's completion line. A line for every request is too many at a broadcast's voting rate
/// (and writing them would cost more than serving the requests), so a success is Debug, a slow request Warning and
/// a failure Error: production's Information shows what needs attention, and Development, at Debug, everything.
/// Request counts and latencies by route and status are in <c>/metrics</c> either way.
/// </summary>
internal static class RequestLogLevel
{
    private const double SlowMilliseconds = 1000;

    public static LogEventLevel Of(HttpContext context, double elapsedMilliseconds, Exception? exception) =>
        exception is not null || context.Response.StatusCode >= StatusCodes.Status500InternalServerError ? LogEventLevel.Error
        : elapsedMilliseconds >= SlowMilliseconds ? LogEventLevel.Warning
        : LogEventLevel.Debug;
}
