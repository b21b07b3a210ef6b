using System.Buffers.Binary;
using Microsoft.EntityFrameworkCore;

namespace Votes.Data;

/// <summary>
/// Orders votes against changes to a poll's state, per poll, on the poll's shard. Every vote transaction holds the
/// poll's fence shared while it checks that the poll accepts votes and inserts; a change to Votes' copy of the poll
/// holds it exclusively. So a change commits only after every vote already past the check has committed, and a vote
/// that comes later checks the changed copy: once a close has been applied, nothing can slip in after it.
/// These are transaction-scoped advisory locks: in memory only, nothing written, released at commit or rollback.
/// </summary>
internal static class PollFence
{
    /// <summary>The two-key advisory lock space of poll fences ("vote"); keys of the one-bigint form never collide with it.</summary>
    private const int Space = 0x766f7465;

    /// <summary>Taken by a vote batch for all its polls, in key order, so that batches never wait on each other in a cycle.</summary>
    public static readonly string SharedSql =
        $"SELECT pg_advisory_xact_lock_shared({Space}, k) FROM (SELECT DISTINCT unnest($1::int[]) AS k ORDER BY k) AS fence";

    /// <summary>Taken by a change to the poll's copy; waits for the votes in flight to commit, and holds new ones back until it commits.</summary>
    public static Task HoldExclusivelyAsync(DbContext db, Guid pollId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock({Space}, {KeyOf(pollId)})", cancellationToken);

    /// <summary>
    /// The poll's key. The last bytes of a UUIDv7 are random; two polls that share a key only wait for each other's
    /// state changes, which costs a little time, never correctness.
    /// </summary>
    public static int KeyOf(Guid pollId)
    {
        Span<byte> bytes = stackalloc byte[16];
        pollId.TryWriteBytes(bytes);
        return BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]);
    }
}
