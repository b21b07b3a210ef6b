using Microsoft.Extensions.Caching.Hybrid;
using Shared.Caching;

namespace UnitTests;

public sealed class SpreadExpirationsTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public void Entries_made_together_expire_over_the_last_tenth_of_the_lifetime_each_always_at_the_same_point()
    {
        var spread = new SpreadExpirations(Minute, HybridCacheEntryFlags.DisableDistributedCache);
        var ids = Enumerable.Range(0, 2000).Select(_ => Guid.NewGuid()).ToList();

        var lifetimes = ids.Select(id => spread.For(id).Expiration!.Value).ToList();

        Assert.All(lifetimes, lifetime => Assert.InRange(lifetime, Minute * 0.9, Minute));
        Assert.Equal(16, lifetimes.Distinct().Count());
        Assert.Equal(lifetimes, ids.Select(id => spread.For(id).Expiration!.Value));
        Assert.All(ids, id => Assert.Equal(spread.For(id).Expiration, spread.For(id).LocalCacheExpiration));
        Assert.All(ids, id => Assert.Equal(HybridCacheEntryFlags.DisableDistributedCache, spread.For(id).Flags));
    }
}
