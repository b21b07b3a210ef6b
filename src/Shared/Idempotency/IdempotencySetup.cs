using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Shared.Tenancy;
using Shared.Data;

namespace Shared.Idempotency;

public static class IdempotencySetup
{
    public static IServiceCollection AddIdempotency(this IServiceCollection services)
    {
        services.AddPlatformSchema<IdempotencyDbContext>(IdempotencyDbContext.Schema, DatabaseRole.Catalog);
        services.AddHostedService<ExpiredKeysCleaner>();
        return services;
    }

    /// <summary>Keys are remembered for a day: long enough for any client's retries, short enough to keep the table small.</summary>
    private sealed class ExpiredKeysCleaner(ShardMap shards, ILogger<ExpiredKeysCleaner> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMinutes(10));
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await using var command = shards.Catalog.CreateCommand("DELETE FROM platform.idempotent_requests WHERE created_at < now() - interval '1 day'");
                    await command.ExecuteNonQueryAsync(stoppingToken);
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException)
                {
                    logger.LogWarning(e, "Could not delete expired idempotency keys");
                }
            }
        }
    }
}
