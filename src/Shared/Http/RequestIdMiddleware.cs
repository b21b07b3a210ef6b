using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Shared.Http;

/// <summary>
/// Gives every request an id: the client's <c>X-Request-Id</c> when it is sane, else a new one.
/// The id becomes the trace identifier (so problem bodies carry it) and a log property.
/// </summary>
public sealed class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
{
    public const string HeaderName = "X-Request-Id";
    private const int MaxLength = 128;

    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = Accept(context.Request.Headers[HeaderName].ToString()) ?? Guid.CreateVersion7().ToString("N");
        context.TraceIdentifier = requestId;
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[HeaderName] = requestId;
            return Task.CompletedTask;
        });
        using (logger.BeginScope(new Dictionary<string, object> { ["RequestId"] = requestId }))
        {
            await next(context);
        }
    }

    // A client's id is echoed into headers and logs, so only short printable ASCII is trusted.
    private static string? Accept(string candidate) =>
        candidate.Length is > 0 and <= MaxLength && candidate.All(c => c is > ' ' and < '\x7f') ? candidate : null;
}
