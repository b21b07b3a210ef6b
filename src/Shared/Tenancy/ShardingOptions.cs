namespace Shared.Tenancy;

/// <summary>
/// <c>Sharding</c> configuration. Shards are named, with their connection strings; adding one here makes it take new
/// tenants (its schemas are migrated at start-up) with no code change.
/// </summary>
public sealed class ShardingOptions
{
    public const string Section = "Sharding";
    public const string CatalogConnectionName = "Catalog";

    /// <summary>Shard id → connection string.</summary>
    public Dictionary<string, string> Shards { get; set; } = [];

    /// <summary><c>FewestTenants</c> (default): the active shard holding the fewest tenants. <c>Pinned</c>: always <see cref="PinnedShard"/>.</summary>
    public string Placement { get; set; } = "FewestTenants";

    public string? PinnedShard { get; set; }

    /// <summary>Connections one instance may open to one shard; the bound that keeps N instances × M shards affordable.</summary>
    public int MaxConnectionsPerShard { get; set; } = 20;

    /// <summary>How long a tenant → shard answer is reused before the catalog is asked again.</summary>
    public int DirectoryCacheSeconds { get; set; } = 30;
}
