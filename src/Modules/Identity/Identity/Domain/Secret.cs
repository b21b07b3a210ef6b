using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Identity.Domain;

/// <summary>
/// High-entropy secrets (refresh tokens, API keys). They carry 256 random bits, so a fast hash cannot be brute-forced,
/// and hashing with SHA-256 lets the store find a secret by an index seek on its hash.
/// </summary>
internal static class Secret
{
    public static string Generate(string prefix) => prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
