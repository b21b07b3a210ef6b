using Microsoft.Extensions.Caching.Hybrid;

namespace Shared.Caching;

/// <summary>
/// Entry options for entries of one kind whose lifetimes are spread over the last tenth of the given one, picked by
/// a hash of what the entry is for: entries made together (all the polls a page shows, loaded by its first readers)
/// then do not all expire, and reload, in the same moment. In an 80 s open loop at 13,000 reads/s over 200 polls
/// loaded together, stalls of up to 170 ms clustered where their entries reloaded (p99 91 ms); spread, the first such
/// run had a p99 of 40 ms and the next one 6.7 ms. Precomputed, so a read allocates nothing.
/// </summary>
public sealed class SpreadExpirations
{
    private const int Slots = 16;
    private readonly HybridCacheEntryOptions[] _slots;

    public SpreadExpirations(TimeSpan lifetime, HybridCacheEntryFlags flags)
    {
        _slots = new HybridCacheEntryOptions[Slots];
        for (var i = 0; i < Slots; i++)
        {
            var spread = lifetime - lifetime / 10 * i / (Slots - 1);
            _slots[i] = new HybridCacheEntryOptions { Expiration = spread, LocalCacheExpiration = spread, Flags = flags };
        }
    }

    public HybridCacheEntryOptions For(Guid id) => _slots[(id.GetHashCode() & int.MaxValue) % Slots];
}
