using System.Security.Claims;

namespace Shared.Http;

/// <summary>
/// The tenant and the caller (a member, or an API key) that a request's credentials name. The module that issues
/// credentials implements it with its own claim names, which the shared middleware (idempotency keys, rate-limit
/// partitions) then need not know.
/// </summary>
public interface ICallerIdentity
{
    /// <summary>Null for a request whose credentials name no tenant and caller (the anonymous public).</summary>
    Caller? Of(ClaimsPrincipal user);
}

/// <summary>A tenant and one of its callers, as the credentials spell them.</summary>
public readonly record struct Caller(string Tenant, string Id);
