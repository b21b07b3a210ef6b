using Npgsql;

namespace IntegrationTests.Fixtures;

/// <summary>
/// The databases of one deployment, as the product runs: a catalog and shard <c>shard-0</c> on the first PostgreSQL
/// server, shard <c>shard-1</c> on the second, and Redis for the cache. Each test class gets its own databases and
/// its own cache key prefix (and so its own backplane channel).
/// </summary>
public sealed class Deployment
{
    private readonly Dictionary<string, (PostgresServer Server, string Database)> _shards;
    private readonly RedisServer _redis;
    private readonly string _cachePrefix = $"test:{Guid.NewGuid():N}:";

    private Deployment((PostgresServer Server, string Database) catalog, Dictionary<string, (PostgresServer Server, string Database)> shards, RedisServer redis)
    {
        Catalog = catalog;
        _shards = shards;
        _redis = redis;
    }

    public (PostgresServer Server, string Database) Catalog { get; }

    public IReadOnlyCollection<string> ShardIds => _shards.Keys;

    public static async Task<Deployment> CreateAsync(PostgresServer? secondServer = null, RedisServer? redis = null)
    {
        var first = await PostgresServer.GetAsync(0);
        var second = secondServer ?? await PostgresServer.GetAsync(1);
        return new Deployment((first, await first.CreateDatabaseAsync()), new()
        {
            ["shard-0"] = (first, await first.CreateDatabaseAsync()),
            ["shard-1"] = (second, await second.CreateDatabaseAsync()),
        }, redis ?? await RedisServer.GetSharedAsync());
    }

    /// <summary>The one site the tests' deployments let call the public routes from a browser (CORS).</summary>
    public const string EmbeddingSite = "https://news.example";

    /// <summary>The configuration the Host reads: the catalog's, each shard's and Redis's connection strings, and the test defaults.</summary>
    public IReadOnlyDictionary<string, string> Settings =>
        _shards.ToDictionary(s => $"Sharding:Shards:{s.Key}", s => s.Value.Server.ConnectionString(s.Value.Database))
            .Append(new("ConnectionStrings:Catalog", Catalog.Server.ConnectionString(Catalog.Database)))
            .Append(new("ConnectionStrings:Redis", _redis.ConnectionString(timeoutMilliseconds: 1000)))
            .Append(new("Caching:KeyPrefix", _cachePrefix))
            // Tests send bursts from one address; the rate-limit tests turn the limits on with rules of their own.
            .Append(new("RateLimits:Enabled", "false"))
            .Append(new("Cors:AllowedOrigins:0", EmbeddingSite))
            .ToDictionary();

    /// <summary>A shard's connection string for the superuser, which sees every tenant's rows.</summary>
    public string AdminShard(string shardId) => _shards[shardId].Server.AdminConnectionString(_shards[shardId].Database);

    public string AdminCatalog => Catalog.Server.AdminConnectionString(Catalog.Database);

    /// <summary>
    /// A scalar query run on every shard as the superuser, added up: counts total, and a value stored on one shard only
    /// (the other answers nothing) is that value.
    /// </summary>
    public async Task<long> ScalarAsync(string sql, params object[] parameters)
    {
        var total = 0L;
        foreach (var shardId in _shards.Keys)
        {
            total += await Database.ScalarAsync(AdminShard(shardId), sql, parameters);
        }
        return total;
    }

    public async Task<long> ShardScalarAsync(string shardId, string sql, params object[] parameters) =>
        await Database.ScalarAsync(AdminShard(shardId), sql, parameters);

    /// <summary>Transactions committed so far in every shard database, as PostgreSQL's statistics count them (they lag by about a second).</summary>
    public async Task<long> ShardCommitsAsync()
    {
        var total = 0L;
        foreach (var shardId in _shards.Keys)
        {
            total += await ShardScalarAsync(shardId, "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");
        }
        return total;
    }

    /// <summary>Which shard the catalog has placed a tenant on.</summary>
    public async Task<string> ShardOfAsync(Guid tenantId)
    {
        await using var connection = new NpgsqlConnection(AdminCatalog);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT shard_id FROM catalog.tenants WHERE id = $1", connection) { Parameters = { new() { Value = tenantId } } };
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
