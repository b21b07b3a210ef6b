using System.Security.Cryptography;
using System.Text;
using Webhooks.Domain;

namespace Webhooks.Delivery;

/// <summary>
/// Standard Webhooks signing: <c>v1,</c> and the base64 HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c> under the
/// secret's key; several signatures (during a secret rotation) are separated by spaces.
/// </summary>
internal static class WebhookSignature
{
    public static string Sign(string webhookId, long timestamp, ReadOnlySpan<byte> body, IEnumerable<string> secrets)
    {
        var signed = Encoding.UTF8.GetBytes($"{webhookId}.{timestamp}.").Concat(body.ToArray()).ToArray();
        return string.Join(' ', secrets.Select(secret => "v1," + Convert.ToBase64String(HMACSHA256.HashData(WebhookSecret.KeyOf(secret), signed))));
    }
}
