using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Identity.Domain;

/// <summary>
/// High-entropy secrets (refresh tokens, API keys). They carry 256 random bits, so a fast hash cannot be brute-forced,
/// and hashing with SHA-256 lets the store find a secret by an index seek on its hash. Each also names its tenant in
/// clear (<c>prefix + tenant id + "_" + random</c>): the tenant's shard must be known before the secret can be looked
/// up. Naming it reveals nothing an attacker could use; altering it only sends the lookup to a tenant without that hash.
/// </summary>
internal static class Secret
{
    private const int TenantLength = 32;

    public static string Generate(string prefix, Guid tenantId) =>
        prefix + tenantId.ToString("N") + "_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static bool TryReadTenant(string secret, string prefix, out Guid tenantId)
    {
        tenantId = Guid.Empty;
        return secret.Length > prefix.Length + TenantLength + 1
            && secret.StartsWith(prefix, StringComparison.Ordinal)
            && secret[prefix.Length + TenantLength] == '_'
            && Guid.TryParseExact(secret.AsSpan(prefix.Length, TenantLength), "N", out tenantId);
    }

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
