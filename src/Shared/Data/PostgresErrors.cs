using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Shared.Data;

public static class PostgresErrors
{
    /// <summary>True when the write lost a race to a unique constraint (optionally a named one).</summary>
    public static bool IsUniqueViolation(this DbUpdateException exception, string? constraint = null) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } postgres
        && (constraint is null || postgres.ConstraintName == constraint);
}
