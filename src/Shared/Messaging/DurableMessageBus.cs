using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shared.Tenancy;

namespace Shared.Messaging;

/// <summary>The bus for code outside a unit of work: each call commits its message to the outbox before returning.</summary>
internal sealed class DurableMessageBus(
    OutboxShards outboxes, OutboxWakeUp wakeUp, MessageRegistry registry, TenantScope tenant, IServiceProvider services, IServiceScopeFactory scopes,
    TimeProvider clock, ILogger<DurableMessageBus> logger)
    : IMessageBus
{
    public Task PublishAsync<TMessage>(TMessage message, CancellationToken cancellationToken = default) where TMessage : class =>
        StoreAsync(message, null, cancellationToken);

    public Task SendAsync<TMessage>(TMessage message, CancellationToken cancellationToken = default) where TMessage : class
    {
        var handlers = registry.HandlerCount(message.GetType());
        if (handlers != 1)
        {
            throw new InvalidOperationException($"A command has exactly one handler; {message.GetType().Name} has {handlers}.");
        }
        return StoreAsync(message, null, cancellationToken);
    }

    public Task ScheduleAsync<TMessage>(TMessage message, DateTimeOffset dueAt, CancellationToken cancellationToken = default) where TMessage : class =>
        StoreAsync(message, dueAt, cancellationToken);

    public async Task DeliverNowAsync(IReadOnlyList<PendingMessage> committed, CancellationToken cancellationToken = default)
    {
        foreach (var pending in committed)
        {
            foreach (var subscription in registry.SubscriptionsOf(pending.Message.GetType()))
            {
                try
                {
                    await subscription.RunAsync(scopes, tenant.Required, [(pending.Id, pending.Message)], cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "{Handler} failed on {MessageType} {MessageId} delivered at once; the relay will retry it",
                        subscription.Handler, subscription.MessageType.Name, pending.Id);
                    throw;
                }
            }
        }
    }

    public Task<TResponse> InvokeAsync<TRequest, TResponse>(TRequest request, CancellationToken cancellationToken = default) where TRequest : class =>
        services.GetRequiredService<IRequestHandler<TRequest, TResponse>>().HandleAsync(request, cancellationToken);

    private async Task StoreAsync(object message, DateTimeOffset? dueAt, CancellationToken cancellationToken)
    {
        // Into the outbox of the shard the scope's tenant lives on, delivered in a scope bound to that tenant.
        var placement = tenant.Required;
        var now = clock.GetUtcNow();
        await outboxes.Store(placement.ShardId).InsertAsync(OutboxExtensions.Envelope(message, dueAt ?? now, now), placement.TenantId, cancellationToken);
        wakeUp.Committed(placement.ShardId);
    }
}
