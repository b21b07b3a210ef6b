using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Shared.Http;

/// <summary>
/// Gives every request an id: the client's <c>X-Request-Id</c> when it is sane, else the request's W3C trace id
/// (the one its log lines, its trace and its problem bodies carry). The id becomes a log property.
/// </summary>
public sealed class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
{
    public const string HeaderName = "X-Request-Id";
    private const int MaxLength = 128;

    // Without a current activity, new ids are this instance's random prefix and a sequence number: unique across
    // instances like a GUID, without the system call a random GUID costs on every request.
    private static readonly string InstancePrefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    private static long _sequence;

    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = Accept(context.Request.Headers[HeaderName].ToString()) ?? Activity.Current?.TraceId.ToHexString() ?? NewId();
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

    private static string NewId() => string.Create(32, Interlocked.Increment(ref _sequence), static (id, sequence) =>
    {
        InstancePrefix.CopyTo(id);
        sequence.TryFormat(id[InstancePrefix.Length..], out _, "x16");
    });

    // A client's id is echoed into headers and logs, so only short printable ASCII is trusted.
    private static string? Accept(string candidate) =>
        candidate.Length is > 0 and <= MaxLength && candidate.All(c => c is > ' ' and < '\x7f') ? candidate : null;
}
