using Shared.Data;
using Shared.Tenancy;
using Wolverine.Persistence.Durability;
using Wolverine.Runtime;
using Wolverine.Runtime.Serialization;

namespace Shared.Messaging;

/// <summary>A message that exhausted its retries, as an operator sees it.</summary>
public sealed record FailedMessage(Guid Id, string MessageType, byte[] Payload, DateTimeOffset SentAt, DateTimeOffset FailedAt, int Attempts, string Error);

/// <summary>The operator's view of Wolverine's dead letters, on every shard.</summary>
public sealed class DeadLetters(ShardMap shards, IWolverineRuntime runtime)
{
    /// <summary>Newest first, after the id <paramref name="after"/> when paging: each shard's page, merged.</summary>
    public async Task<List<FailedMessage>> ListAsync(int limit, Guid? after, CancellationToken cancellationToken)
    {
        var pages = await Task.WhenAll(shards.ShardIds.Select(shard => shards.Shard(shard).QueryAsync(
            $"""
            SELECT id, message_type, body, sent_at, COALESCE(failed_at, sent_at), COALESCE(exception_type, '') || ': ' || COALESCE(exception_message, '')
            FROM {WolverineTables.DeadLetters}
            WHERE archived_at IS NULL AND ($1::uuid IS NULL OR id < $1)
            ORDER BY id DESC LIMIT $2
            """,
            r =>
            {
                var envelope = EnvelopeSerializer.Deserialize(r.GetFieldValue<byte[]>(2));
                return new FailedMessage(r.GetGuid(0), r.GetString(1), envelope.Data ?? [], r.GetFieldValue<DateTimeOffset>(3), r.GetFieldValue<DateTimeOffset>(4),
                    envelope.Attempts, r.GetString(5));
            },
            cancellationToken, after.HasValue ? after.Value : DBNull.Value, limit)));
        return [.. pages.SelectMany(page => page).OrderByDescending(d => d.Id).Take(limit)];
    }

    /// <summary>Hands the message back to Wolverine for a fresh round of attempts; false if there is no such dead letter.</summary>
    public async Task<bool> ReplayAsync(Guid id, CancellationToken cancellationToken)
    {
        foreach (var shard in shards.ShardIds)
        {
            var found = await shards.Shard(shard).QueryAsync(
                $"SELECT 1 FROM {WolverineTables.DeadLetters} WHERE id = $1 AND archived_at IS NULL", _ => 1, cancellationToken, id);
            if (found.Count > 0)
            {
                var store = (MultiTenantedMessageStore)runtime.Storage;
                var database = await store.Source.FindAsync(shard);
                await database.DeadLetters.MarkDeadLetterEnvelopesAsReplayableAsync([id]);
                return true;
            }
        }
        return false;
    }
}
