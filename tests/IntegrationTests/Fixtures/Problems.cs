namespace IntegrationTests.Fixtures;

public static class Problems
{
    /// <summary>Asserts an RFC 9457 problem with the API's code and a trace id, and returns its body.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        Assert.Equal(code, body.GetProperty("code").GetString());
        // RFC 9457: a type that says where the status is defined, and a title, on every problem.
        Assert.True(body.TryGetProperty("type", out var type) && Uri.IsWellFormedUriString(type.GetString(), UriKind.Absolute), $"No type: {text}");
        Assert.False(string.IsNullOrEmpty(body.GetProperty("title").GetString()), $"No title: {text}");
        Assert.False(string.IsNullOrEmpty(body.GetProperty("traceId").GetString()));
        return body;
    }

    /// <summary>Any field: where a syntax error is reported depends on where the parser gave up.</summary>
    public const string AnyField = "*";

    /// <summary>Asserts a 400 validation_failed whose errors name <paramref name="field"/>.</summary>
    public static async Task AssertInvalidAsync(this HttpResponseMessage response, string field)
    {
        var body = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var errors = body.GetProperty("errors");
        Assert.True(field == AnyField ? errors.EnumerateObject().Any() : errors.TryGetProperty(field, out _), $"No error for '{field}': {errors}");
    }
}
