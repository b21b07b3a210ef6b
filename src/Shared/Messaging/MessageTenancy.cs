using Shared.Tenancy;
using Wolverine;

namespace Shared.Messaging;

/// <summary>
/// Which tenant a message acts for, and where it is stored: Wolverine's tenant id on the envelope is our shard (its
/// storage lives there), and our tenant rides in a header, so the handler's scope is bound to the tenant (row-level
/// security) as the unit of work that sent it was.
/// </summary>
internal static class MessageTenancy
{
    public const string Header = "polling-tenant-id";

    public static DeliveryOptions For(TenantPlacement tenant) =>
        new DeliveryOptions { TenantId = tenant.ShardId }.WithHeader(Header, tenant.TenantId.ToString());

    public static TenantPlacement Of(Envelope envelope) =>
        envelope.TenantId is { Length: > 0 } shardId && envelope.Headers.TryGetValue(Header, out var tenantId) && Guid.TryParse(tenantId, out var id)
            ? new TenantPlacement(id, shardId)
            : throw new InvalidOperationException($"Message {envelope.Id} ({envelope.MessageType}) names no tenant and shard; it cannot be handled.");
}
