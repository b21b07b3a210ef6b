namespace Shared.Tenancy;

/// <summary>Where a tenant's data lives: the shard every module's rows for that tenant are on.</summary>
public sealed record TenantPlacement(Guid TenantId, string ShardId);
