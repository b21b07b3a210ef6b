using System.Security.Claims;

namespace Identity.Contracts;

/// <summary>The authenticated caller as other modules see it: which tenant, who, and in what role.</summary>
public sealed record TenantMember(Guid TenantId, string TenantSlug, Guid? UserId, MemberRole Role)
{
    /// <summary>Reads the claims Identity issued. Only called behind an authorization policy, so they are present.</summary>
    public static TenantMember From(ClaimsPrincipal principal)
    {
        var tenantId = Guid.Parse(principal.FindFirstValue(IdentityClaims.TenantId)!);
        var slug = principal.FindFirstValue(IdentityClaims.TenantSlug) ?? "";
        var role = Enum.Parse<MemberRole>(principal.FindFirstValue(IdentityClaims.Role)!, ignoreCase: true);
        var subject = principal.FindFirstValue(IdentityClaims.Subject);
        return new TenantMember(tenantId, slug, subject is null ? null : Guid.Parse(subject), role);
    }
}
