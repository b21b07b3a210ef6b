using Identity.Contracts;
using Shared.Data;

namespace Identity.Domain;

/// <summary>A person who belongs to one tenant and logs in with an email and a password.</summary>
internal sealed class Member : ITimeOrdered
{
    public const int EmailMaxLength = 254;
    public const int PasswordMinLength = 12;
    public const int PasswordMaxLength = 256;

    public Guid Id { get; private set; }
    public Guid TenantId { get; private set; }
    public string Email { get; private set; } = "";
    public string PasswordHash { get; private set; } = "";
    public MemberRole Role { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    private Member()
    {
    }

    public static Member Join(Guid tenantId, string email, MemberRole role, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(now), TenantId = tenantId, Email = NormalizeEmail(email), Role = role, CreatedAt = now };

    public void SetPasswordHash(string hash) => PasswordHash = hash;

    /// <summary>Emails are compared case-insensitively, so they are stored in one case.</summary>
    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    public static bool LooksLikeEmail(string email)
    {
        var at = email.IndexOf('@');
        return at > 0 && at == email.LastIndexOf('@') && at < email.Length - 1 && !email.Any(char.IsWhiteSpace);
    }
}
