using System.Security.Claims;

namespace Shared.Http;

/// <summary>The tenant and the caller (a member, or an API key) that a request's credentials name.</summary>
public static class CallerIdentity
{
    // The claim names Identity issues (Identity.Contracts.IdentityClaims); Shared sits below the modules and cannot reference them.
    public static (string Tenant, string Caller)? Of(ClaimsPrincipal user) =>
        user.FindFirstValue("tid") is { } tenant && (user.FindFirstValue("sub") ?? user.FindFirstValue("kid")) is { } caller
            ? (tenant, caller)
            : null;
}
