using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Webhooks.Domain;

namespace Webhooks.Delivery;

/// <summary>
/// Sends one attempt of a delivery: POSTs the stored body with its Standard Webhooks headers, through the
/// webhook client (connection guard, per-host circuit breaker and timeout), and says how it went. A redirect
/// counts as a failure: following it would bypass the destination check.
/// </summary>
internal sealed class WebhookSender(IHttpClientFactory clients, TimeProvider clock)
{
    public const string ClientName = "webhooks";
    private static readonly ProductInfoHeaderValue Agent = new("PollingPlatform-Webhooks", "1");

    public async Task<SendOutcome> SendAsync(WebhookEndpoint endpoint, WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var body = Encoding.UTF8.GetBytes(delivery.Payload);
        var webhookId = delivery.Id.ToString("D", CultureInfo.InvariantCulture);
        var timestamp = now.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } } },
        };
        request.Headers.Add("webhook-id", webhookId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(webhookId, timestamp, body, endpoint.SigningSecrets(now)));
        request.Headers.UserAgent.Add(Agent);
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            return new SendOutcome(status, Elapsed(watch), response.IsSuccessStatusCode ? null : $"The endpoint answered {status}.");
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new SendOutcome(null, Elapsed(watch), Describe(e));
        }
    }

    private static int Elapsed(Stopwatch watch) => (int)Math.Min(int.MaxValue, watch.ElapsedMilliseconds);

    private static string Describe(Exception e) => e switch
    {
        TimeoutRejectedException => "The endpoint did not answer in time.",
        BrokenCircuitException => "Not sent: the endpoint's host failed repeatedly just before, so its circuit is open.",
        HttpRequestException { InnerException: { } inner } http => $"{http.Message} {inner.Message}",
        _ => e.Message,
    };
}
