namespace Shared.Tenancy;

/// <summary>
/// Columns of a tenant table that change while the tenant's own writes are paused for a move (a worker's bookkeeping
/// on the tenant's rows), so that the move's check of its copy leaves them out. Registered as a service by the part
/// that owns the table, which also answers for what a copy of them on the target means.
/// </summary>
public sealed record UnfencedColumns(string Table, string[] Columns);
