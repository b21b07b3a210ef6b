namespace IntegrationTests.Fixtures;

/// <summary>What a client does with a 503: waits and sends again, as its Retry-After asks.</summary>
public static class Retrying
{
    /// <summary>Sends until the answer is not 503 (each 503 must carry Retry-After), at most <paramref name="attempts"/> times.</summary>
    public static async Task<HttpResponseMessage> WhileUnavailableAsync(Func<Task<HttpResponseMessage>> send, int attempts, TimeSpan pause)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await send();
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == attempts)
            {
                return response;
            }
            Assert.True(response.Headers.RetryAfter is not null, "a 503 says when to retry");
            await Task.Delay(pause);
        }
    }
}
