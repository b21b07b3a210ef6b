using System.Security.Cryptography;

namespace Votes.Domain;

/// <summary>
/// A tenant's own secret for hashing voter keys in exports: random, made on the first export, kept with the
/// tenant's data (so it moves with the tenant to another shard and the hashes stay the same).
/// </summary>
internal sealed class VoterHashKey
{
    public const int Bytes = 32;

    public Guid TenantId { get; private set; }
    public byte[] Key { get; private set; } = [];
    public DateTimeOffset CreatedAt { get; private set; }

    private VoterHashKey()
    {
    }

    public static VoterHashKey New(Guid tenantId, DateTimeOffset now) =>
        new() { TenantId = tenantId, Key = RandomNumberGenerator.GetBytes(Bytes), CreatedAt = now };

    public string Hash(string voterKey) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Key, System.Text.Encoding.UTF8.GetBytes(voterKey)));
}
