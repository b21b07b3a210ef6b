using Identity.Contracts;
using Identity.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using Shared.Tenancy;

namespace Identity.Auth;

/// <summary>What a valid API key stands for.</summary>
internal sealed record ApiKeyHolder(Guid KeyId, Guid TenantId, string TenantSlug, MemberRole Role);

/// <summary>
/// Finds the holder of an API key by its hash, through the cache: servers send their key with every request. The
/// entry is tagged with the hash, and revoking the key drops it by that tag on every instance, including a lookup
/// that began before the revocation committed, so a revoked key stops working at once.
/// </summary>
internal sealed class ApiKeyLookup(HybridCache cache, TenantScopes scopes)
{
    private static readonly HybridCacheEntryOptions Entry = new() { Expiration = TimeSpan.FromMinutes(5), LocalCacheExpiration = TimeSpan.FromMinutes(5) };

    public static string TagOf(byte[] keyHash) => "identity:apikey:" + Convert.ToHexStringLower(keyHash);

    public async Task<ApiKeyHolder?> FindAsync(TenantPlacement tenant, byte[] keyHash, CancellationToken cancellationToken) =>
        await cache.GetOrCreateAsync(TagOf(keyHash), (scopes, tenant, keyHash), static (state, ct) =>
            state.scopes.RunAsync(state.tenant, (IdentityDbContext db) => db.ApiKeys.AsNoTracking()
                .Where(k => k.KeyHash == state.keyHash && k.RevokedAt == null)
                .Join(db.Tenants, k => k.TenantId, t => t.Id, (k, t) => new ApiKeyHolder(k.Id, k.TenantId, t.Slug, k.Role))
                .SingleOrDefaultAsync(ct)),
            Entry, [TagOf(keyHash)], cancellationToken);
}
