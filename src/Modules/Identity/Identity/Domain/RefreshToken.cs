namespace Identity.Domain;

/// <summary>
/// One link in a chain of rotating refresh tokens. Each is redeemable once; redeeming a used one means the chain
/// leaked, so the whole family is revoked (RFC 9700 §4.14.2).
/// </summary>
internal sealed class RefreshToken
{
    public Guid Id { get; private set; }
    public Guid TenantId { get; private set; }
    public Guid MemberId { get; private set; }
    public Guid FamilyId { get; private set; }
    public byte[] TokenHash { get; private set; } = [];
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? UsedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    private RefreshToken()
    {
    }

    /// <summary>The first token of a new login.</summary>
    public static RefreshToken StartFamily(Guid tenantId, Guid memberId, byte[] tokenHash, DateTimeOffset now, TimeSpan lifetime) =>
        Create(tenantId, memberId, Guid.CreateVersion7(now), tokenHash, now, lifetime);

    /// <summary>The token that replaces this one, in the same family.</summary>
    public RefreshToken Successor(byte[] tokenHash, DateTimeOffset now, TimeSpan lifetime) =>
        Create(TenantId, MemberId, FamilyId, tokenHash, now, lifetime);

    public RefreshRedemption Redeem(DateTimeOffset now)
    {
        if (UsedAt is not null || RevokedAt is not null)
        {
            return RefreshRedemption.Reused;
        }
        if (now >= ExpiresAt)
        {
            return RefreshRedemption.Expired;
        }
        UsedAt = now;
        return RefreshRedemption.Accepted;
    }

    private static RefreshToken Create(Guid tenantId, Guid memberId, Guid familyId, byte[] tokenHash, DateTimeOffset now, TimeSpan lifetime) =>
        new()
        {
            Id = Guid.CreateVersion7(now),
            TenantId = tenantId,
            MemberId = memberId,
            FamilyId = familyId,
            TokenHash = tokenHash,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
}

internal enum RefreshRedemption
{
    Accepted,
    Expired,
    Reused,
}
