using System.Security.Claims;
using Identity.Contracts;
using Shared.Http;

namespace Identity.Auth;

/// <summary>The tenant and caller in the claims Identity issues: a member's subject, or an API key's id.</summary>
internal sealed class CallerClaims : ICallerIdentity
{
    public Caller? Of(ClaimsPrincipal user) =>
        user.FindFirstValue(IdentityClaims.TenantId) is { } tenant
        && (user.FindFirstValue(IdentityClaims.Subject) ?? user.FindFirstValue(IdentityClaims.ApiKeyId)) is { } caller
            ? new Caller(tenant, caller)
            : null;
}
