using System.Security.Cryptography;
using System.Text;

namespace IntegrationTests.Webhooks;

/// <summary>What a receiver does with a delivery, per the Standard Webhooks specification, written from it for the tests.</summary>
internal static class StandardWebhooks
{
    /// <summary>The signatures in webhook-signature that verify under <paramref name="secret"/> (whsec_ and base64 key).</summary>
    public static int VerifiedSignatures(ReceivedWebhook request, string secret)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var content = Encoding.UTF8.GetBytes($"{request.Header("webhook-id")}.{request.Header("webhook-timestamp")}.").Concat(request.Body).ToArray();
        var expected = Convert.ToBase64String(HMACSHA256.HashData(key, content));
        return request.Header("webhook-signature").Split(' ')
            .Count(signature => signature.StartsWith("v1,", StringComparison.Ordinal)
                && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(signature[3..]), Encoding.ASCII.GetBytes(expected)));
    }

    /// <summary>The timestamp is the attempt's, so a receiver can refuse replays: within five minutes of now.</summary>
    public static bool IsFresh(ReceivedWebhook request) =>
        Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - long.Parse(request.Header("webhook-timestamp"), System.Globalization.CultureInfo.InvariantCulture)) < 300;
}
