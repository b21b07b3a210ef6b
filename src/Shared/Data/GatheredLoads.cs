namespace Shared.Data;

/// <summary>
/// Loads by key, gathering the keys asked for at one moment into one load, one load at a time: while a load runs,
/// the keys asked for meanwhile wait, and the next load takes them all. For the cache's loaders, whose misses come in
/// bursts (entries made together expire together, and a cold instance misses everything at once): asked one by one,
/// a burst is a query and a pooled connection per key, all at once; gathered, it is a few queries on one connection.
/// </summary>
/// <param name="load">Loads the given distinct keys; a key it does not return is answered with <c>default</c>.</param>
public sealed class GatheredLoads<TKey, TValue>(Func<IReadOnlyList<TKey>, Task<IReadOnlyDictionary<TKey, TValue>>> load)
    where TKey : notnull
{
    private readonly Lock _gate = new();
    private List<(TKey Key, TaskCompletionSource<TValue?> Result)> _waiting = [];
    private bool _loading;

    /// <summary>The key's value, loaded with whatever else is asked for meanwhile. A caller that gives up stops waiting; the load goes on for the others.</summary>
    public Task<TValue?> LoadAsync(TKey key, CancellationToken cancellationToken)
    {
        var result = new TaskCompletionSource<TValue?>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool start;
        lock (_gate)
        {
            _waiting.Add((key, result));
            start = !_loading;
            _loading = true;
        }
        if (start)
        {
            _ = Task.Run(DrainAsync);
        }
        return result.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Loads what waits, then what came while it loaded, until nothing waits.</summary>
    private async Task DrainAsync()
    {
        while (true)
        {
            List<(TKey Key, TaskCompletionSource<TValue?> Result)> batch;
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _loading = false;
                    return;
                }
                (batch, _waiting) = (_waiting, []);
            }
            try
            {
                var values = await load(batch.Select(w => w.Key).Distinct().ToList());
                foreach (var (key, result) in batch)
                {
                    result.TrySetResult(values.GetValueOrDefault(key));
                }
            }
            catch (Exception e)
            {
                foreach (var (_, result) in batch)
                {
                    result.TrySetException(e);
                }
            }
        }
    }
}
