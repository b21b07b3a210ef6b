namespace Shared.Data;

/// <summary>
/// Wakes a worker that sleeps until there is work or its poll interval passes (a shard's outbox relay, its vote
/// tally): pulsed by whoever just committed work for it.
/// </summary>
public sealed class WakeUpSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Pulse()
    {
        // A pending wake-up is enough: several pulses before the worker looks collapse into one.
        if (_semaphore.CurrentCount == 0)
        {
            try
            {
                _semaphore.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _semaphore.WaitAsync(timeout, cancellationToken);
}
