using Identity.Domain;
using Microsoft.AspNetCore.Identity;

namespace Identity.Auth;

/// <summary>Password hashing with ASP.NET Core Identity's PasswordHasher (PBKDF2, per-hash salt, versioned format).</summary>
internal sealed class Passwords(IPasswordHasher<Member> hasher)
{
    // Verifying against this when the member does not exist makes a miss cost as much as a hit,
    // so response time does not reveal which emails are registered.
    private readonly Lazy<string> _decoy = new(() => hasher.HashPassword(null!, Guid.NewGuid().ToString()));

    public void Set(Member member, string password) => member.SetPasswordHash(hasher.HashPassword(member, password));

    /// <summary>True when the password is the member's; upgrades an old-format hash in place.</summary>
    public bool Verify(Member? member, string password)
    {
        if (member is null)
        {
            hasher.VerifyHashedPassword(null!, _decoy.Value, password);
            return false;
        }
        var result = hasher.VerifyHashedPassword(member, member.PasswordHash, password);
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            Set(member, password);
        }
        return result != PasswordVerificationResult.Failed;
    }
}
