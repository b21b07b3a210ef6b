using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Shared.Tenancy;

namespace Shared.Data;

/// <summary>
/// Unhealthy when the catalog does not answer (no request can find its tenant), Degraded when a shard does not
/// (its tenants get 503s, everyone else is served, so the instance stays in the balancer).
/// </summary>
public sealed class PostgresHealthCheck(ShardMap shards) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!await AnswersAsync(shards.Catalog, cancellationToken))
        {
            return HealthCheckResult.Unhealthy("The catalog database did not answer.");
        }
        var down = new List<string>();
        foreach (var shardId in shards.ShardIds)
        {
            if (!await AnswersAsync(shards.Shard(shardId), cancellationToken))
            {
                down.Add(shardId);
            }
        }
        return down.Count == 0
            ? HealthCheckResult.Healthy($"Catalog and {shards.ShardIds.Count} shard(s) answer.")
            : HealthCheckResult.Degraded($"Shard(s) not answering: {string.Join(", ", down)}.");
    }

    private static async Task<bool> AnswersAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        try
        {
            await database.ExecuteAsync("SELECT 1", cancellationToken);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return false;
        }
    }
}
