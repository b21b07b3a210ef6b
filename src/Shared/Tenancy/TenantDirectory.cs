using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;
using Npgsql;
using Shared.Caching;
using Shared.Data;

namespace Shared.Tenancy;

/// <summary>
/// Answers "where does this tenant live?" from the catalog, through the cache: one cached lookup per request, and
/// one catalog query per key however many requests miss at once. A stale answer cannot do harm: the shard's
/// residents row refuses a tenant that has left, and the refusal drops the entry (<see cref="ForgetAsync"/>), on
/// every instance when the cache has its backplane.
/// The entries stay in each instance's memory and never go to Redis: they are small, read by every public request,
/// and change seldom, so a trip to Redis for them would double a cold read's round trips for nothing. Dropping one
/// still reaches every instance through the backplane.
/// </summary>
public sealed class TenantDirectory(ShardMap shards, ITenantPlacementPolicy placement, IOptions<ShardingOptions> options, HybridCache cache)
{
    // Public routes never change once written; an id with no route is only asked for by mistake (or by a flood of
    // made-up ids), and is remembered as unknown just as long, since writing its route drops the entry. Spread, so
    // that the routes of ids first read together are not all looked up again together.
    private static readonly SpreadExpirations Routes = new(TimeSpan.FromMinutes(10), HybridCacheEntryFlags.DisableDistributedCache);
    private readonly GatheredLoads<Guid, Guid?> _publicRoutes = new(ids => LoadPublicRoutesAsync(shards, ids));
    private readonly HybridCacheEntryOptions _placements = new()
    {
        Expiration = TimeSpan.FromSeconds(options.Value.DirectoryCacheSeconds),
        LocalCacheExpiration = TimeSpan.FromSeconds(options.Value.DirectoryCacheSeconds),
        Flags = HybridCacheEntryFlags.DisableDistributedCache,
    };

    public async Task<TenantPlacement?> FindAsync(Guid tenantId, CancellationToken cancellationToken) =>
        await cache.GetOrCreateAsync(TenantKey(tenantId), (this, tenantId), static async (state, ct) =>
        {
            var rows = await state.Item1.QueryAsync("SELECT shard_id FROM catalog.tenants WHERE id = $1", r => r.GetString(0), ct, state.tenantId);
            return rows.Count == 0 ? null : new TenantPlacement(state.tenantId, rows[0]);
        }, _placements, cancellationToken: cancellationToken);

    public async Task<TenantPlacement?> FindBySlugAsync(string slug, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync("SELECT id, shard_id FROM catalog.tenants WHERE slug = $1",
            r => new TenantPlacement(r.GetGuid(0), r.GetString(1)), cancellationToken, slug);
        return rows.SingleOrDefault();
    }

    /// <summary>The tenant owning a resource that public routes name by id, through the catalog's public routes.</summary>
    public async Task<TenantPlacement?> FindByPublicIdAsync(Guid publicId, CancellationToken cancellationToken)
    {
        var tenantId = await cache.GetOrCreateAsync(PublicKey(publicId), (this, publicId),
            static (state, ct) => new ValueTask<Guid?>(state.Item1._publicRoutes.LoadAsync(state.publicId, ct)),
            Routes.For(publicId), cancellationToken: cancellationToken);
        return tenantId is { } id ? await FindAsync(id, cancellationToken) : null;
    }

    /// <summary>The owners of the ids a burst of first reads (a cold instance, say) asks for, in one query.</summary>
    private static async Task<IReadOnlyDictionary<Guid, Guid?>> LoadPublicRoutesAsync(ShardMap shards, IReadOnlyList<Guid> ids)
    {
        var routes = await shards.Catalog.QueryAsync("SELECT public_id, tenant_id FROM catalog.public_routes WHERE public_id = ANY($1)",
            r => (Id: r.GetGuid(0), Tenant: r.GetGuid(1)), CancellationToken.None, (object)ids.ToArray());
        return routes.ToDictionary(r => r.Id, r => (Guid?)r.Tenant);
    }

    /// <summary>Written before the resource itself, so that one that exists always has its route.</summary>
    public async Task AddPublicRouteAsync(Guid publicId, Guid tenantId, CancellationToken cancellationToken)
    {
        await ExecuteAsync("INSERT INTO catalog.public_routes (public_id, tenant_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            cancellationToken, publicId, tenantId);
        await cache.RemoveAsync(PublicKey(publicId), cancellationToken);
    }

    /// <summary>
    /// Places a new tenant: claims its slug in the catalog and makes it a resident of the chosen shard.
    /// Null when the slug is taken.
    /// </summary>
    public async Task<TenantPlacement?> RegisterAsync(Guid tenantId, string slug, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var loads = await QueryAsync("""
            SELECT s.id, count(t.id) FROM catalog.shards s LEFT JOIN catalog.tenants t ON t.shard_id = s.id
            WHERE s.state = 'active' AND s.id = ANY($1) GROUP BY s.id
            """, r => new ShardLoad(r.GetString(0), r.GetInt64(1)), cancellationToken, (object)shards.ShardIds.ToArray());
        var shardId = placement.Choose(loads);
        var claimed = await ExecuteAsync("""
            INSERT INTO catalog.tenants (id, slug, shard_id, state, created_at) VALUES ($1, $2, $3, 'active', $4)
            ON CONFLICT (slug) DO NOTHING
            """, cancellationToken, tenantId, slug, shardId, now);
        if (claimed == 0)
        {
            return null;
        }
        var placed = new TenantPlacement(tenantId, shardId);
        await cache.RemoveAsync(TenantKey(tenantId), cancellationToken);
        try
        {
            await Residents.SetAsync(shards.Shard(shardId), tenantId, TenantStates.Active, cancellationToken);
        }
        catch
        {
            await UnregisterAsync(placed, CancellationToken.None);
            throw;
        }
        return placed;
    }

    /// <summary>Undoes <see cref="RegisterAsync"/> when the tenant's first write fails, so the slug is free again.</summary>
    public async Task UnregisterAsync(TenantPlacement tenant, CancellationToken cancellationToken)
    {
        await ExecuteAsync("DELETE FROM catalog.tenants WHERE id = $1", cancellationToken, tenant.TenantId);
        await ForgetAsync(tenant.TenantId);
        await Residents.RemoveAsync(shards.Shard(tenant.ShardId), tenant.TenantId, cancellationToken);
    }

    /// <summary>Drops the cached placement: the shard said the tenant is not (or no longer) there.</summary>
    public ValueTask ForgetAsync(Guid tenantId) => cache.RemoveAsync(TenantKey(tenantId));

    public Task<List<(string Id, string State, long Tenants)>> ShardsAsync(CancellationToken cancellationToken) =>
        QueryAsync("""
            SELECT s.id, s.state, count(t.id) FROM catalog.shards s LEFT JOIN catalog.tenants t ON t.shard_id = s.id
            GROUP BY s.id, s.state ORDER BY s.id
            """, r => (r.GetString(0), r.GetString(1), r.GetInt64(2)), cancellationToken);

    /// <summary>Makes every configured shard known to the catalog; a new one starts active.</summary>
    public Task RegisterShardsAsync(CancellationToken cancellationToken) =>
        ExecuteAsync("INSERT INTO catalog.shards (id, state) SELECT unnest($1::text[]), 'active' ON CONFLICT DO NOTHING",
            cancellationToken, (object)shards.ShardIds.ToArray());

    /// <summary>Points the tenant at its new shard: the moment a move takes effect for every instance.</summary>
    internal async Task RehomeAsync(Guid tenantId, string shardId, CancellationToken cancellationToken)
    {
        await ExecuteAsync("UPDATE catalog.tenants SET shard_id = $2 WHERE id = $1", cancellationToken, tenantId, shardId);
        await ForgetAsync(tenantId);
    }

    private static string TenantKey(Guid tenantId) => $"directory:tenant:{tenantId:N}";

    private static string PublicKey(Guid publicId) => $"directory:public:{publicId:N}";

    private Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params object[] parameters) =>
        shards.Catalog.ExecuteAsync(sql, cancellationToken, parameters);

    private Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken, params object[] parameters) =>
        shards.Catalog.QueryAsync(sql, read, cancellationToken, parameters);
}
