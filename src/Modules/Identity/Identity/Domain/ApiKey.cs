using Identity.Contracts;
using Shared.Data;

namespace Identity.Domain;

/// <summary>A tenant's credential for servers. Only a hash of the secret is kept; the secret is shown once.</summary>
internal sealed class ApiKey : ITimeOrdered
{
    public const int NameMaxLength = 100;

    public Guid Id { get; private set; }
    public Guid TenantId { get; private set; }
    public string Name { get; private set; } = "";
    public MemberRole Role { get; private set; }
    public byte[] KeyHash { get; private set; } = [];
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    private ApiKey()
    {
    }

    public static ApiKey Issue(Guid tenantId, string name, MemberRole role, byte[] keyHash, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(now), TenantId = tenantId, Name = name.Trim(), Role = role, KeyHash = keyHash, CreatedAt = now };

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;
}
