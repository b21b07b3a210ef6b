using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Shared.Http;

namespace UnitTests;

public sealed class RequestIdTests
{
    private static async Task<(string? TraceId, string RequestId)> RunAsync(string? clientId)
    {
        string? traceId = null;
        var middleware = new RequestIdMiddleware(_ =>
        {
            traceId = Activity.Current?.TraceId.ToHexString();
            return Task.CompletedTask;
        }, NullLogger<RequestIdMiddleware>.Instance);
        var context = new DefaultHttpContext();
        if (clientId is not null)
        {
            context.Request.Headers[RequestIdMiddleware.HeaderName] = clientId;
        }
        await middleware.InvokeAsync(context);
        return (traceId, context.TraceIdentifier);
    }

    [Fact]
    public async Task A_request_the_framework_started_no_activity_for_still_has_a_trace_id_and_it_is_the_request_id()
    {
        Assert.Null(Activity.Current);
        var (traceId, requestId) = await RunAsync(null);
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        Assert.Equal(traceId, requestId);
        Assert.Null(Activity.Current);
    }

    [Fact]
    public async Task A_sane_client_id_is_the_request_id_and_the_trace_id_stays_the_requests_own()
    {
        var (traceId, requestId) = await RunAsync("client-abc-123");
        Assert.Equal("client-abc-123", requestId);
        Assert.Matches("^[0-9a-f]{32}$", traceId);
    }
}
