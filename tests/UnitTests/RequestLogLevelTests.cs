using Host.Logging;
using Microsoft.AspNetCore.Http;
using Serilog.Events;

namespace UnitTests;

/// <summary>Which requests production's Information level logs: the slow and the failed, not every success.</summary>
public sealed class RequestLogLevelTests
{
    [Theory]
    [InlineData(200, 12.0, false, LogEventLevel.Debug)]
    [InlineData(409, 3.0, false, LogEventLevel.Debug)]
    [InlineData(200, 1500.0, false, LogEventLevel.Warning)]
    [InlineData(503, 5.0, false, LogEventLevel.Error)]
    [InlineData(200, 5.0, true, LogEventLevel.Error)]
    public void A_request_is_logged_at_a_level_set_by_its_outcome_and_duration(int status, double milliseconds, bool threw, LogEventLevel expected)
    {
        var context = new DefaultHttpContext();
        context.Response.StatusCode = status;
        Assert.Equal(expected, RequestLogLevel.Of(context, milliseconds, threw ? new InvalidOperationException("boom") : null));
    }
}
