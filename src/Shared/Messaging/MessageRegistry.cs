using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shared.Json;
using Shared.Tenancy;

namespace Shared.Messaging;

/// <summary>
/// One subscription: a named handler for a message type. <c>Invoke</c> runs it over messages that belong to it, in
/// one transaction on its module's DbContext, after the inbox has dropped repeats.
/// </summary>
internal sealed record Subscription(
    Type MessageType,
    string Handler,
    Func<IServiceProvider, IReadOnlyList<(Guid Id, object Message)>, CancellationToken, Task> Invoke)
{
    /// <summary>Runs the handler over messages in a scope of its own, acting for the tenant whose unit of work wrote them.</summary>
    public async Task RunAsync(IServiceScopeFactory scopes, TenantPlacement? tenant, IReadOnlyList<(Guid Id, object Message)> messages, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        if (tenant is not null)
        {
            scope.ServiceProvider.GetRequiredService<TenantScope>().Enter(tenant);
        }
        await Invoke(scope.ServiceProvider, messages, cancellationToken);
    }
}

/// <summary>Every message type the process knows, its handlers and its retry policy. Filled by explicit registration.</summary>
public sealed class MessageRegistry
{
    private readonly Dictionary<string, Type> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, List<Subscription>> _subscriptions = [];
    private readonly Dictionary<Type, RetryPolicy> _retries = [];

    /// <summary>The stable name a message type is stored under.</summary>
    public static string NameOf(Type type) => type.FullName ?? type.Name;

    public static string Serialize(object message) => JsonSerializer.Serialize(message, message.GetType(), ApiJson.Options);

    internal Type? Find(string name) => _types.GetValueOrDefault(name);

    internal IReadOnlyList<Subscription> SubscriptionsOf(Type type) => _subscriptions.GetValueOrDefault(type) ?? [];

    public int HandlerCount(Type type) => SubscriptionsOf(type).Count;

    public RetryPolicy RetryPolicyOf(Type? type) => type is not null && _retries.TryGetValue(type, out var policy) ? policy : RetryPolicy.Default;

    internal void Subscribe(Subscription subscription)
    {
        _types[NameOf(subscription.MessageType)] = subscription.MessageType;
        if (!_subscriptions.TryGetValue(subscription.MessageType, out var list))
        {
            list = [];
            _subscriptions[subscription.MessageType] = list;
        }
        if (list.Any(s => s.Handler == subscription.Handler))
        {
            throw new InvalidOperationException($"{subscription.Handler} is already subscribed to {subscription.MessageType.Name}.");
        }
        list.Add(subscription);
    }

    internal void SetRetryPolicy(Type type, RetryPolicy policy) => _retries[type] = policy;
}

public static class MessageHandlerRegistration
{
    /// <summary>Subscribes <typeparamref name="THandler"/> to <typeparamref name="TMessage"/>; it runs in a transaction on <typeparamref name="TContext"/>.</summary>
    public static IServiceCollection AddMessageHandler<TMessage, THandler, TContext>(this IServiceCollection services)
        where TMessage : class
        where THandler : class, IMessageHandler<TMessage>
        where TContext : DbContext
    {
        services.TryAddScopedHandler<THandler>();
        var name = HandlerName<THandler>();
        Registry(services).Subscribe(new Subscription(typeof(TMessage), name, (provider, messages, cancellationToken) =>
            Inbox.RunAsync<TContext>(provider, name, messages, async fresh =>
            {
                var handler = provider.GetRequiredService<THandler>();
                foreach (var (_, message) in fresh)
                {
                    await handler.HandleAsync((TMessage)message, cancellationToken);
                }
            }, cancellationToken)));
        return services;
    }

    public static IServiceCollection AddRequestHandler<TRequest, TResponse, THandler>(this IServiceCollection services)
        where THandler : class, IRequestHandler<TRequest, TResponse> =>
        services.AddScoped<IRequestHandler<TRequest, TResponse>, THandler>();

    public static IServiceCollection ConfigureRetries<TMessage>(this IServiceCollection services, RetryPolicy policy)
    {
        Registry(services).SetRetryPolicy(typeof(TMessage), policy);
        return services;
    }

    /// <summary>The registry lives in the container as a single instance that registration fills.</summary>
    internal static MessageRegistry Registry(IServiceCollection services)
    {
        var existing = services.FirstOrDefault(d => d.ServiceType == typeof(MessageRegistry))?.ImplementationInstance;
        if (existing is MessageRegistry registry)
        {
            return registry;
        }
        registry = new MessageRegistry();
        services.AddSingleton(registry);
        return registry;
    }

    private static string HandlerName<THandler>() => typeof(THandler).FullName ?? typeof(THandler).Name;

    private static void TryAddScopedHandler<THandler>(this IServiceCollection services) where THandler : class
    {
        if (!services.Any(d => d.ServiceType == typeof(THandler)))
        {
            services.AddScoped<THandler>();
        }
    }
}
