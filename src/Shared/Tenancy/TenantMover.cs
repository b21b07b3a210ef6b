using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;
using Shared.Data;

namespace Shared.Tenancy;

public enum MoveOutcome
{
    Moved,
    UnknownTenant,
    UnknownShard,
    AlreadyThere,
    AlreadyMoving,
    WorkInFlight,
}

/// <summary>What a move did: rows copied, and how long the tenant's writes were paused.</summary>
public sealed record MoveReport(MoveOutcome Outcome, Guid TenantId, string? FromShard, string ToShard, long RowsCopied, long WritesPausedMilliseconds);

/// <summary>
/// Moves a tenant to another shard online. The tenant's writes pause (they get 503 with Retry-After) while its rows
/// are copied and verified; reads and every other tenant carry on. Steps:
/// <list type="number">
/// <item>the catalog marks the tenant moving, so no second move starts;</item>
/// <item>the source's residents row becomes <c>moving</c>: that update waits for the tenant's writes in flight
/// (each holds a share lock on the row), and refuses new ones; if work of the tenant's is still in flight on the
/// source (a message not yet handled, <see cref="ITenantMoveParticipant"/>), the pause is lifted and tried again, and
/// after 10 s the move is declined;</item>
/// <item>in one transaction on the target: leftovers of any failed earlier move are removed, every tenant table's
/// rows are copied (parents first), each table is verified by row count and checksum against the source, leases taken
/// on the source are released, what the participants keep outside the tables (dead letters) is copied, and the tenant
/// becomes an active resident there;</item>
/// <item>the catalog points the tenant at the target (writes resume), the source's row becomes <c>departed</c>
/// (an instance with a stale cache is refused there and asks the catalog again), and the source's copies are deleted.</item>
/// </list>
/// Any failure before the switch undoes the move: the target transaction rolls back and the source is active again.
/// </summary>
public sealed class TenantMover(ShardMap shards, TenantDirectory directory, IEnumerable<ITenantMoveParticipant> participants, ILogger<TenantMover> logger)
{
    private const int RowsPerInsert = 2000;

    /// <summary>How long a move waits for the tenant's work in flight on its shard to be done (see <see cref="PauseWithNothingInFlightAsync"/>).</summary>
    private static readonly TimeSpan InFlightPatience = TimeSpan.FromSeconds(10);

    public async Task<MoveReport> MoveAsync(Guid tenantId, string toShard, CancellationToken cancellationToken)
    {
        var from = (await shards.Catalog.QueryAsync("SELECT shard_id, state FROM catalog.tenants WHERE id = $1",
            r => (Shard: r.GetString(0), State: r.GetString(1)), cancellationToken, tenantId)).SingleOrDefault();
        var refusal = from.Shard is null ? MoveOutcome.UnknownTenant
            : !shards.Contains(toShard) || !await IsActiveShardAsync(toShard, cancellationToken) ? MoveOutcome.UnknownShard
            : from.Shard == toShard ? MoveOutcome.AlreadyThere
            : await ClaimAsync(tenantId, cancellationToken) ? (MoveOutcome?)null : MoveOutcome.AlreadyMoving;
        if (refusal is { } refused)
        {
            return new MoveReport(refused, tenantId, from.Shard, toShard, 0, 0);
        }
        var source = shards.Shard(from.Shard!);
        var target = shards.Shard(toShard);
        var paused = new Stopwatch();
        long copied;
        try
        {
            if (!await PauseWithNothingInFlightAsync(tenantId, source, cancellationToken))
            {
                await SetCatalogStateAsync(tenantId, TenantStates.Active, CancellationToken.None);
                return new MoveReport(MoveOutcome.WorkInFlight, tenantId, from.Shard, toShard, 0, 0);
            }
            // Paused from here: the waiting above paused writes only to count, and lifted the pause whenever it waited.
            paused.Start();
            copied = await CopyAsync(tenantId, source, target, toShard, cancellationToken);
            await directory.RehomeAsync(tenantId, toShard, cancellationToken);
        }
        catch
        {
            await Residents.SetAsync(source, tenantId, TenantStates.Active, CancellationToken.None);
            await SetCatalogStateAsync(tenantId, TenantStates.Active, CancellationToken.None);
            throw;
        }
        await Residents.SetAsync(source, tenantId, TenantStates.Departed, CancellationToken.None);
        await SetCatalogStateAsync(tenantId, TenantStates.Active, CancellationToken.None);
        paused.Stop();
        await DeleteLeftBehindAsync(tenantId, source, from.Shard!);
        logger.LogInformation("Tenant {Tenant} moved from {From} to {To}: {Rows} rows, writes paused {Paused} ms",
            tenantId, from.Shard, toShard, copied, paused.ElapsedMilliseconds);
        return new MoveReport(MoveOutcome.Moved, tenantId, from.Shard, toShard, copied, paused.ElapsedMilliseconds);
    }

    /// <summary>
    /// Pauses the tenant's writes on its shard once nothing of its is in flight there. Work in flight cannot finish
    /// while writes are paused, so it is counted under the pause, and while there is any the pause is lifted for a
    /// moment and counted again; nothing new can start while paused. False, and not paused, if work is still in
    /// flight after <see cref="InFlightPatience"/> (a message being retried, say).
    /// </summary>
    private async Task<bool> PauseWithNothingInFlightAsync(Guid tenantId, NpgsqlDataSource source, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            await Residents.SetAsync(source, tenantId, TenantStates.Moving, cancellationToken);
            var pending = 0L;
            foreach (var participant in participants)
            {
                pending += await participant.CountInFlightAsync(source, tenantId, cancellationToken);
            }
            if (pending == 0)
            {
                return true;
            }
            await Residents.SetAsync(source, tenantId, TenantStates.Active, cancellationToken);
            if (waited.Elapsed > InFlightPatience)
            {
                logger.LogWarning("Tenant {Tenant} not moved: {Pending} of its messages still in flight after {Patience}", tenantId, pending, InFlightPatience);
                return false;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    private async Task<bool> IsActiveShardAsync(string shardId, CancellationToken cancellationToken) =>
        (await shards.Catalog.QueryAsync("SELECT 1 FROM catalog.shards WHERE id = $1 AND state = 'active'", r => r.GetInt32(0), cancellationToken, shardId)).Count == 1;

    private async Task<bool> ClaimAsync(Guid tenantId, CancellationToken cancellationToken) =>
        await shards.Catalog.ExecuteAsync("UPDATE catalog.tenants SET state = 'moving' WHERE id = $1 AND state = 'active'", cancellationToken, tenantId) == 1;

    private Task SetCatalogStateAsync(Guid tenantId, string state, CancellationToken cancellationToken) =>
        shards.Catalog.ExecuteAsync("UPDATE catalog.tenants SET state = $2 WHERE id = $1", cancellationToken, tenantId, state);

    private async Task<long> CopyAsync(Guid tenantId, NpgsqlDataSource source, NpgsqlDataSource target, string toShard, CancellationToken cancellationToken)
    {
        var tables = await TenantTables.OnAsync(source, cancellationToken);
        await using var from = await OpenAsTenantAsync(source, tenantId, cancellationToken);
        await using var to = await OpenAsTenantAsync(target, tenantId, cancellationToken);
        await using var transaction = await to.BeginTransactionAsync(cancellationToken);
        foreach (var table in Enumerable.Reverse(tables))
        {
            await to.ExecuteAsync($"DELETE FROM {table.Name} WHERE {table.TenantColumn} = $1", cancellationToken, tenantId);
        }
        var copied = 0L;
        foreach (var table in tables)
        {
            copied += await CopyTableAsync(table, tenantId, from, to, cancellationToken);
            var (expected, actual) = (await ChecksumAsync(table, tenantId, from, cancellationToken), await ChecksumAsync(table, tenantId, to, cancellationToken));
            if (expected != actual)
            {
                throw new InvalidOperationException($"{table.Name}: the copy does not match the source ({actual} against {expected}).");
            }
        }
        // Leases taken on the source (a module worker's on its queue) mean nothing on the target: its workers take up
        // what is pending afresh.
        foreach (var table in tables.Where(t => t.Leased))
        {
            await to.ExecuteAsync($"UPDATE {table.Name} SET locked_until = NULL WHERE {table.TenantColumn} = $1", cancellationToken, tenantId);
        }
        foreach (var participant in participants)
        {
            copied += await participant.CopyAsync(tenantId, from, to, toShard, cancellationToken);
        }
        await to.ExecuteAsync("""
            INSERT INTO tenancy.residents (tenant_id, state, since) VALUES ($1, 'active', now())
            ON CONFLICT (tenant_id) DO UPDATE SET state = 'active', since = now()
            """, cancellationToken, tenantId);
        await transaction.CommitAsync(cancellationToken);
        return copied;
    }

    /// <summary>Streams the tenant's rows of one table from the source and inserts them on the target in chunks.</summary>
    private static async Task<long> CopyTableAsync(TenantTable table, Guid tenantId, NpgsqlConnection from, NpgsqlConnection to, CancellationToken cancellationToken)
    {
        var rows = 0L;
        var chunk = new List<string>(RowsPerInsert);
        await using var read = new NpgsqlCommand($"SELECT row_to_json(t)::text FROM {table.Name} t WHERE {table.TenantColumn} = $1", from)
        {
            Parameters = { new() { Value = tenantId } },
        };
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            chunk.Add(reader.GetString(0));
            if (chunk.Count == RowsPerInsert)
            {
                rows += await InsertAsync(table, chunk, to, cancellationToken);
            }
        }
        return rows + await InsertAsync(table, chunk, to, cancellationToken);
    }

    private static async Task<int> InsertAsync(TenantTable table, List<string> chunk, NpgsqlConnection to, CancellationToken cancellationToken)
    {
        if (chunk.Count == 0)
        {
            return 0;
        }
        var json = new StringBuilder("[").AppendJoin(',', chunk).Append(']').ToString();
        chunk.Clear();
        return await to.ExecuteAsync($"INSERT INTO {table.Name} SELECT * FROM json_populate_recordset(NULL::{table.Name}, $1::json)", cancellationToken, json);
    }

    /// <summary>
    /// Leases (<c>locked_until</c>, on any table: workers claim rows without the tenant's write fence, and the target
    /// clears the leases anyway) are left out of the check.
    /// </summary>
    private async Task<string> ChecksumAsync(TenantTable table, Guid tenantId, NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var row = table.Leased ? "(to_jsonb(t) - 'locked_until')::text" : "t::text";
        await using var command = new NpgsqlCommand(
            $"SELECT count(*) || ':' || coalesce(md5(string_agg({row}, '|' ORDER BY {row})), '') FROM {table.Name} t WHERE {table.TenantColumn} = $1",
            connection) { Parameters = { new() { Value = tenantId } } };
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Removes the tenant's rows from the shard it left. A failure leaves rows nobody can reach (the shard refuses the tenant) and a later move here clears them.</summary>
    private async Task DeleteLeftBehindAsync(Guid tenantId, NpgsqlDataSource source, string sourceShard)
    {
        try
        {
            var tables = await TenantTables.OnAsync(source, CancellationToken.None);
            await using var connection = await OpenAsTenantAsync(source, tenantId, CancellationToken.None);
            await using var transaction = await connection.BeginTransactionAsync();
            foreach (var table in Enumerable.Reverse(tables))
            {
                await connection.ExecuteAsync($"DELETE FROM {table.Name} WHERE {table.TenantColumn} = $1", CancellationToken.None, tenantId);
            }
            foreach (var participant in participants)
            {
                await participant.DeleteAsync(tenantId, connection, CancellationToken.None);
            }
            await transaction.CommitAsync();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            logger.LogWarning(e, "Tenant {Tenant} moved, but its old rows on {Shard} could not be deleted yet", tenantId, sourceShard);
        }
    }

    /// <summary>A connection with row-level security set to the tenant, for the whole session.</summary>
    private static async Task<NpgsqlConnection> OpenAsTenantAsync(NpgsqlDataSource dataSource, Guid tenantId, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync("SELECT set_config('app.tenant_id', $1::text, false)", cancellationToken, tenantId);
        return connection;
    }
}
