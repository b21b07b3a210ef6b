using System.Security.Cryptography;

namespace Webhooks.Domain;

/// <summary>
/// An endpoint's signing secret in the Standard Webhooks form, <c>whsec_</c> and the base64 of 32 random bytes:
/// receivers' verification libraries take it as it is. It is stored as it is too, since signing needs the key itself
/// (a hash, as API keys have, could not sign); the table is under row-level security like every tenant table.
/// </summary>
internal static class WebhookSecret
{
    public const string Prefix = "whsec_";
    public const int MaxLength = 64;
    private const int KeyBytes = 32;

    public static string Generate() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes));

    public static byte[] KeyOf(string secret) => Convert.FromBase64String(secret[Prefix.Length..]);
}
