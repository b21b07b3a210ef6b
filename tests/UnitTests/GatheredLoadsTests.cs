using Shared.Data;

namespace UnitTests;

public sealed class GatheredLoadsTests
{
    /// <summary>A load function whose loads finish when the test says, and which remembers what each was asked.</summary>
    private sealed class HeldLoads
    {
        private readonly List<(IReadOnlyList<int> Keys, TaskCompletionSource Release)> _loads = [];

        public IReadOnlyList<IReadOnlyList<int>> Asked
        {
            get
            {
                lock (_loads)
                {
                    return _loads.Select(l => l.Keys).ToList();
                }
            }
        }

        public async Task<IReadOnlyDictionary<int, string>> LoadAsync(IReadOnlyList<int> keys)
        {
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_loads)
            {
                _loads.Add((keys, release));
            }
            await release.Task;
            // Odd keys exist, even ones do not.
            return keys.Where(k => k % 2 == 1).ToDictionary(k => k, k => $"value {k}");
        }

        public void Release(int load)
        {
            lock (_loads)
            {
                _loads[load].Release.SetResult();
            }
        }

        public Task StartedAsync(int loads) => WaitUntilAsync(() => Asked.Count >= loads);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }
        Assert.True(condition());
    }

    [Fact]
    public async Task Keys_asked_for_while_a_load_runs_are_loaded_together_by_the_next_one_each_once()
    {
        var held = new HeldLoads();
        var loads = new GatheredLoads<int, string>(held.LoadAsync);

        var first = loads.LoadAsync(1, CancellationToken.None);
        await held.StartedAsync(1);
        var meanwhile = new[] { 3, 4, 5, 3, 5 }.Select(key => loads.LoadAsync(key, CancellationToken.None)).ToList();
        await Task.Delay(50);
        Assert.Single(held.Asked);

        held.Release(0);
        Assert.Equal("value 1", await first);
        await held.StartedAsync(2);
        held.Release(1);

        Assert.Equal("value 3, none, value 5, value 3, value 5", string.Join(", ", (await Task.WhenAll(meanwhile)).Select(v => v ?? "none")));
        Assert.Equal("1 | 3 4 5", string.Join(" | ", held.Asked.Select(keys => string.Join(" ", keys))));
    }

    [Fact]
    public async Task A_failed_load_fails_its_callers_only_and_the_next_load_runs()
    {
        var calls = 0;
        var loads = new GatheredLoads<int, string>(keys => Interlocked.Increment(ref calls) == 1
            ? throw new InvalidOperationException("the database is down")
            : Task.FromResult<IReadOnlyDictionary<int, string>>(keys.ToDictionary(k => k, k => $"value {k}")));

        await Assert.ThrowsAsync<InvalidOperationException>(() => loads.LoadAsync(1, CancellationToken.None));
        Assert.Equal("value 1", await loads.LoadAsync(1, CancellationToken.None));
    }

    [Fact]
    public async Task A_caller_that_gives_up_stops_waiting_while_the_load_goes_on_for_the_others()
    {
        var held = new HeldLoads();
        var loads = new GatheredLoads<int, string>(held.LoadAsync);
        using var impatient = new CancellationTokenSource();

        var givesUp = loads.LoadAsync(7, impatient.Token);
        var waits = loads.LoadAsync(7, CancellationToken.None);
        await held.StartedAsync(1);
        await impatient.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => givesUp);
        held.Release(0);
        Assert.Equal("value 7", await waits);
    }
}
