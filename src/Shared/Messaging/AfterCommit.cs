using Microsoft.Extensions.Logging;

namespace Shared.Messaging;

/// <summary>
/// Work a message handler wants done once its transaction has committed, and only then: typically dropping a cache
/// entry, which done before the commit could be filled again from the old data at once. Best effort: a failure is
/// logged, and the entry's expiry bounds what it costs.
/// </summary>
public sealed class AfterCommit(ILogger<AfterCommit> logger)
{
    private readonly List<Func<Task>> _actions = [];

    public void Add(Func<Task> action) => _actions.Add(action);

    internal async Task RunAsync()
    {
        foreach (var action in _actions)
        {
            try
            {
                await action();
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "An after-commit action failed");
            }
        }
        _actions.Clear();
    }
}
