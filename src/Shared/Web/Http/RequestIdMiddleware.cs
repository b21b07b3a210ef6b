using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Shared.Http;

/// <summary>
/// Gives every request an id: the client's <c>X-Request-Id</c> when it is sane, else the request's W3C trace id
/// (the one its log lines, its trace and its problem bodies carry). The id becomes a log property. A request always
/// has a trace id: ASP.NET Core starts the request's activity only while something listens (logging enabled, a
/// tracer), and where it started none this starts one.
/// </summary>
public sealed class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
{
    public const string HeaderName = "X-Request-Id";
    private const int MaxLength = 128;

    public async Task InvokeAsync(HttpContext context)
    {
        using var started = Activity.Current is null ? new Activity("Polling.Request").Start() : null;
        var requestId = Accept(context.Request.Headers[HeaderName].ToString()) ?? Activity.Current!.TraceId.ToHexString();
        context.TraceIdentifier = requestId;
        // Set as the response starts, not now: an error handler clears the headers of a response it replaces.
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            http.Response.Headers[HeaderName] = http.TraceIdentifier;
            return Task.CompletedTask;
        }, context);
        // The host's own request scope took the server's id before this ran; this inner scope's wins in log events.
        using (logger.BeginScope(new KeyValuePair<string, object>[] { new("RequestId", requestId) }))
        {
            await next(context);
        }
    }

    // A client's id is echoed into headers and logs, so only short printable ASCII is trusted.
    private static string? Accept(string candidate) =>
        candidate.Length is > 0 and <= MaxLength && candidate.All(c => c is > ' ' and < '\x7f') ? candidate : null;
}
