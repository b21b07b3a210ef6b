using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Shared.Data;

namespace Shared.Tenancy;

/// <summary>
/// Unhealthy when the catalog does not answer (no request can find its tenant), Degraded when a shard does not
/// (its tenants get 503s, everyone else is served, so the instance stays in the balancer).
/// </summary>
public sealed class PostgresHealthCheck(ShardMap shards) : IHealthCheck
{
    private static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!await AnswersAsync(shards.Catalog, cancellationToken))
        {
            return HealthCheckResult.Unhealthy("The catalog database did not answer.");
        }
        // All at once: a shard that hangs must not use up the other shards' share of the check's time.
        var answers = await Task.WhenAll(shards.ShardIds.Select(async id => (Id: id, Up: await AnswersAsync(shards.Shard(id), cancellationToken))));
        var down = answers.Where(a => !a.Up).Select(a => a.Id).ToList();
        return down.Count == 0
            ? HealthCheckResult.Healthy($"Catalog and {shards.ShardIds.Count} shard(s) answer.")
            : HealthCheckResult.Degraded($"Shard(s) not answering: {string.Join(", ", down)}.");
    }

    private static async Task<bool> AnswersAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(AnswerWithin);
        try
        {
            await database.ExecuteAsync("SELECT 1", patience.Token);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException || patience.IsCancellationRequested)
        {
            return false;
        }
    }
}
