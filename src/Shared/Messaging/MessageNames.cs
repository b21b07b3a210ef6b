using System.Collections.Concurrent;
using Wolverine.Util;

namespace Shared.Messaging;

/// <summary>
/// The names messages are stored and routed under, given by the module that owns each message, instead of Wolverine's
/// default (the type's full name): a stored message outlives a deployment, so renaming or moving its type must not
/// strand it. Named while the Host is configured, before Wolverine reads any name.
/// </summary>
public static class MessageNames
{
    private static readonly ConcurrentDictionary<Type, string> Names = new();

    static MessageNames() => WolverineMessageNaming.InsertFirst<Declared>();

    public static void Name<TMessage>(string name)
    {
        var existing = Names.GetOrAdd(typeof(TMessage), name);
        if (existing != name)
        {
            throw new InvalidOperationException($"{typeof(TMessage).Name} is named '{existing}' already; a message has one name.");
        }
    }

    private sealed class Declared : IMessageTypeNaming
    {
        public bool TryDetermineName(Type messageType, out string messageTypeName) => Names.TryGetValue(messageType, out messageTypeName!);
    }
}
