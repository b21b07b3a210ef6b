using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;
using Shared.Configuration;

namespace Shared.Tenancy;

/// <summary>
/// This process's connection pools: one <see cref="NpgsqlDataSource"/> for the catalog and one per configured shard,
/// each capped at <see cref="ShardingOptions.MaxConnectionsPerShard"/>, so that an instance holds at most
/// shards × cap connections however many tenants there are (a pool per tenant database is what exhausts servers).
/// </summary>
public sealed class ShardMap : IAsyncDisposable
{
    private readonly Dictionary<string, NpgsqlDataSource> _shards;

    public ShardMap(IConfiguration configuration, IOptions<ShardingOptions> options)
    {
        var sharding = options.Value;
        var catalogKey = $"ConnectionStrings:{ShardingOptions.CatalogConnectionName}";
        Catalog = Build(catalogKey, configuration.GetConnectionString(ShardingOptions.CatalogConnectionName), sharding);
        if (sharding.Shards.Count == 0)
        {
            throw new InvalidSettingException($"{ShardingOptions.Section}:Shards", "names no shard; give each shard's connection string, e.g. Sharding:Shards:shard-0.");
        }
        _shards = sharding.Shards.ToDictionary(s => s.Key, s => Build($"{ShardingOptions.Section}:Shards:{s.Key}", s.Value, sharding), StringComparer.Ordinal);
    }

    public NpgsqlDataSource Catalog { get; }

    /// <summary>Configured shard ids, in a stable order.</summary>
    public IReadOnlyList<string> ShardIds => [.. _shards.Keys.Order(StringComparer.Ordinal)];

    public bool Contains(string shardId) => _shards.ContainsKey(shardId);

    public NpgsqlDataSource Shard(string shardId) => _shards.TryGetValue(shardId, out var dataSource)
        ? dataSource
        : throw new InvalidOperationException($"Shard '{shardId}' is not configured on this instance.");

    public async ValueTask DisposeAsync()
    {
        foreach (var dataSource in _shards.Values.Append(Catalog))
        {
            await dataSource.DisposeAsync();
        }
    }

    private static NpgsqlDataSource Build(string key, string? connectionString, ShardingOptions options)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidSettingException(key, "is not configured: it is the PostgreSQL connection string (Host=...;Database=...;Username=...).");
        }
        NpgsqlDataSourceBuilder builder;
        try
        {
            builder = new NpgsqlDataSourceBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new InvalidSettingException(key, $"is not a valid PostgreSQL connection string: {e.Message}");
        }
        var settings = builder.ConnectionStringBuilder;
        settings.MaxPoolSize = Math.Min(settings.MaxPoolSize, options.MaxConnectionsPerShard);
        // A shard that is down must cost its tenants a quick 503, not a 15-second wait. (A refused connection fails at
        // once; this bounds a server that does not answer, and the wait for a free pooled connection under load.)
        settings.Timeout = Math.Min(settings.Timeout, 5);
        // Idle connections go back to the server soon: N instances × M shards of idle pools add up.
        settings.ConnectionIdleLifetime = Math.Min(settings.ConnectionIdleLifetime, 60);
        return builder.Build();
    }
}
