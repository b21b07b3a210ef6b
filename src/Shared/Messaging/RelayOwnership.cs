using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Shared.Tenancy;

namespace Shared.Messaging;

/// <summary>
/// Runs each shard's relay on exactly one instance at a time. For every shard, an instance tries to take a
/// session-level advisory lock on a dedicated connection to that shard; the one that holds it runs the shard's relay
/// and LISTENs for its NOTIFYs on that same connection. If the owner dies, PostgreSQL ends its session and frees the
/// lock, and another instance's next attempt takes it over. A shard costs its owner one held connection, and the
/// other instances none between attempts.
/// </summary>
internal sealed class RelayOwnership(
    ShardMap shards,
    OutboxShards outboxes,
    MessageRegistry registry,
    MessagingMetrics metrics,
    IServiceScopeFactory scopes,
    IOptions<MessagingOptions> options,
    TimeProvider clock,
    ILoggerFactory loggers) : BackgroundService
{
    // Any fixed number works; it is the same in every instance, and advisory locks are per database, so per shard.
    private const long RelayLockKey = 0x52656c6179L;
    private readonly ILogger _logger = loggers.CreateLogger<RelayOwnership>();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(outboxes.ShardIds.Select(shardId => OwnAsync(shardId, stoppingToken)));

    private async Task OwnAsync(string shardId, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var retry = TimeSpan.FromMilliseconds(settings.OwnershipPollMilliseconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await shards.Shard(shardId).OpenConnectionAsync(stoppingToken);
                if (await TryLockAsync(connection, stoppingToken))
                {
                    await RelayWhileOwnedAsync(shardId, connection, settings, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "Lost or could not reach the relay of shard {Shard}; trying again", shardId);
            }
            finally
            {
                metrics.ForgetBacklog(shardId);
            }
            await OutboxRelay.Delay(retry, stoppingToken);
        }
    }

    /// <summary>Relays until the owning connection breaks (the lock goes with it) or the instance stops.</summary>
    private async Task RelayWhileOwnedAsync(string shardId, NpgsqlConnection connection, MessagingOptions settings, CancellationToken stoppingToken)
    {
        _logger.LogInformation("This instance now relays shard {Shard}", shardId);
        var signal = outboxes.Signal(shardId);
        connection.Notification += (_, _) => signal.Pulse();
        await using (var listen = new NpgsqlCommand($"LISTEN {MessagingDbContext.NotifyChannel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }
        // Anything committed before this instance took over is found by the first claim.
        signal.Pulse();
        using var owned = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var relay = new OutboxRelay(shardId, outboxes.Store(shardId), signal, registry, metrics, scopes, settings, clock, _logger);
        var running = relay.RunAsync(owned.Token);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await connection.WaitAsync(stoppingToken);
            }
        }
        finally
        {
            await owned.CancelAsync();
            await running;
        }
    }

    private static async Task<bool> TryLockAsync(NpgsqlConnection connection, CancellationToken stoppingToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection) { Parameters = { new() { Value = RelayLockKey } } };
        return (bool)(await command.ExecuteScalarAsync(stoppingToken))!;
    }
}
