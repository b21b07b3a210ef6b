using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Shared.Tenancy;

/// <summary>
/// The data layer's half of tenant isolation, on every module DbContext:
/// <list type="bullet">
/// <item>each connection EF opens is set to the context's tenant (<c>app.tenant_id</c>, which the row-level security
/// policies compare with), and checked against the shard's residents row: a tenant that is not there is refused;</item>
/// <item>each transaction first takes a share lock on that row and requires the tenant to be active, so a move
/// (which updates the row) waits for writes in flight and no write starts while it runs;</item>
/// <item>a write outside a transaction would skip that fence, so it is refused outright.</item>
/// </list>
/// </summary>
internal sealed class TenantSessionInterceptor(TenantBindings bindings) : IDbConnectionInterceptor, IDbTransactionInterceptor, IDbCommandInterceptor
{
    public async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (bindings.Of(eventData.Context) is { } tenant)
        {
            await using var command = SessionCommand(connection, tenant);
            RequireResident(tenant, await command.ExecuteScalarAsync(cancellationToken));
        }
    }

    public void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (bindings.Of(eventData.Context) is { } tenant)
        {
            using var command = SessionCommand(connection, tenant);
            RequireResident(tenant, command.ExecuteScalar());
        }
    }

    public async ValueTask<DbTransaction> TransactionStartedAsync(
        DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        if (bindings.Of(eventData.Context) is { } tenant)
        {
            await using var command = FenceCommand(connection, result, tenant);
            RequireWritable(tenant, await command.ExecuteScalarAsync(cancellationToken));
        }
        return result;
    }

    public DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        if (bindings.Of(eventData.Context) is { } tenant)
        {
            using var command = FenceCommand(connection, result, tenant);
            RequireWritable(tenant, command.ExecuteScalar());
        }
        return result;
    }

    public InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result) =>
        Guard(command, eventData, result);

    public ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Guard(command, eventData, result));

    public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result) =>
        Guard(command, eventData, result);

    public ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Guard(command, eventData, result));

    public InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result) =>
        Guard(command, eventData, result);

    public ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Guard(command, eventData, result));

    private T Guard<T>(DbCommand command, CommandEventData eventData, T result)
    {
        if (command.Transaction is null && bindings.Of(eventData.Context) is not null
            && !command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("Tenant data is written only inside a transaction, where the tenant's move fence applies.");
        }
        return result;
    }

    private static NpgsqlCommand SessionCommand(DbConnection connection, TenantPlacement tenant) =>
        new("SELECT (SELECT state FROM tenancy.residents WHERE tenant_id = $1), set_config('app.tenant_id', $1::text, false)", (NpgsqlConnection)connection)
        {
            Parameters = { new() { Value = tenant.TenantId } },
        };

    private static NpgsqlCommand FenceCommand(DbConnection connection, DbTransaction transaction, TenantPlacement tenant) =>
        new("SELECT state FROM tenancy.residents WHERE tenant_id = $1 FOR SHARE", (NpgsqlConnection)connection, (NpgsqlTransaction)transaction)
        {
            Parameters = { new() { Value = tenant.TenantId } },
        };

    private static void RequireResident(TenantPlacement tenant, object? state)
    {
        if (state is not string s || s == TenantStates.Departed)
        {
            throw new TenantUnavailableException(tenant.TenantId, $"it does not live on shard '{tenant.ShardId}'");
        }
    }

    private static void RequireWritable(TenantPlacement tenant, object? state)
    {
        if (state is not TenantStates.Active)
        {
            throw new TenantUnavailableException(tenant.TenantId, state is TenantStates.Moving ? "it is being moved" : $"it does not live on shard '{tenant.ShardId}'");
        }
    }
}
