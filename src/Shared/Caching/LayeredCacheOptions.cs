namespace Shared.Caching;

/// <summary>The <c>Caching</c> configuration section.</summary>
public sealed class LayeredCacheOptions
{
    public const string Section = "Caching";

    /// <summary>Entries the in-process (L1) cache holds at most.</summary>
    public int LocalMaxEntries { get; set; } = 100_000;

    /// <summary>Part of every Redis (L2) key; bump it when cached shapes change, so old entries are never read.</summary>
    public string KeyPrefix { get; set; } = "cache:v1:";

    /// <summary>How long past its expiry an entry may still be served when the factory fails (fail-safe).</summary>
    public TimeSpan FailSafeMaxDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A factory slower than this, when a stale value exists, is left to finish in the background and the stale value served.</summary>
    public TimeSpan FactorySoftTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long an instance trusts its own copy of an entry that Redis also holds (unset: as long as the entry says).
    /// A shorter time bounds how stale an instance can be should it miss a backplane message; zero sends every read
    /// to Redis, and the local copy then only serves as the fail-safe.
    /// </summary>
    public TimeSpan? LocalCopyMaxDuration { get; set; }

    /// <summary>After an L2 failure, how long the cache works from L1 and the factory alone before trying Redis again.</summary>
    public TimeSpan DistributedBreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}
