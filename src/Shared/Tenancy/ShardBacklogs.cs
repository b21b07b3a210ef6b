using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shared.Tenancy;

/// <summary>
/// Readiness for work queued on the shards (messages to deliver, votes to count): Degraded when a shard's backlog
/// passes its limit, as the work is falling behind. Degraded, not Unhealthy, because the backlog is shared by every
/// instance, and taking them all out of the balancer would not help. Counted here rather than taken from the workers,
/// which may run on other instances.
/// </summary>
public static class ShardBacklogs
{
    public static async Task<HealthCheckResult> CheckAsync(
        IEnumerable<string> shardIds, Func<string, CancellationToken, Task<long>> count, long limit, string what, CancellationToken cancellationToken)
    {
        var over = new List<string>();
        var total = 0L;
        foreach (var shard in shardIds)
        {
            try
            {
                var backlog = await count(shard, cancellationToken);
                total += backlog;
                if (backlog > limit)
                {
                    over.Add($"shard {shard}: {backlog}");
                }
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
            {
                // The shard being down is the databases check's to report; here it only has no backlog to count.
                over.Add($"shard {shard}: not reachable");
            }
        }
        return over.Count > 0
            ? HealthCheckResult.Degraded($"{what} over the limit of {limit} or unknown ({string.Join(", ", over)}).")
            : HealthCheckResult.Healthy($"{what}: {total}.");
    }
}
