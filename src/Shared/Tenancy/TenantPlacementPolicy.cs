using Microsoft.Extensions.Options;

namespace Shared.Tenancy;

/// <summary>An active shard and how many tenants it holds, as placement sees it.</summary>
public sealed record ShardLoad(string ShardId, long Tenants);

/// <summary>Chooses the shard a new tenant is placed on, among the active shards this instance can reach.</summary>
public interface ITenantPlacementPolicy
{
    string Choose(IReadOnlyList<ShardLoad> activeShards);
}

/// <summary>The policies <c>Sharding:Placement</c> names.</summary>
internal sealed class ConfiguredPlacementPolicy(IOptions<ShardingOptions> options) : ITenantPlacementPolicy
{
    public string Choose(IReadOnlyList<ShardLoad> activeShards)
    {
        if (activeShards.Count == 0)
        {
            throw new InvalidOperationException("No active shard can take a new tenant.");
        }
        var sharding = options.Value;
        return sharding.Placement switch
        {
            "FewestTenants" => activeShards.OrderBy(s => s.Tenants).ThenBy(s => s.ShardId, StringComparer.Ordinal).First().ShardId,
            "Pinned" => activeShards.FirstOrDefault(s => s.ShardId == sharding.PinnedShard)?.ShardId
                ?? throw new InvalidOperationException($"The pinned shard '{sharding.PinnedShard}' is not an active shard."),
            _ => throw new InvalidOperationException($"Unknown placement policy '{sharding.Placement}'."),
        };
    }
}
