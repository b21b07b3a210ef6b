using Shared.Data;
using Shared.Tenancy;

namespace Shared.Messaging;

/// <summary>Each shard's outbox store and relay wake-up signal: every shard has an outbox of its own.</summary>
internal sealed class OutboxShards
{
    private readonly Dictionary<string, (OutboxStore Store, WakeUpSignal Signal)> _shards;

    public OutboxShards(ShardMap shards) =>
        _shards = shards.ShardIds.ToDictionary(id => id, id => (new OutboxStore(shards.Shard(id)), new WakeUpSignal()), StringComparer.Ordinal);

    public IReadOnlyCollection<string> ShardIds => _shards.Keys;

    public OutboxStore Store(string shardId) => _shards[shardId].Store;

    public WakeUpSignal Signal(string shardId) => _shards[shardId].Signal;
}
