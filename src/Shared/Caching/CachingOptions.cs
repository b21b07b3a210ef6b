namespace Shared.Caching;

/// <summary>The <c>Caching</c> configuration section: how FusionCache is set up for the modules.</summary>
public sealed class CachingOptions
{
    public const string Section = "Caching";

    /// <summary>Entries the in-process (L1) cache holds at most.</summary>
    public int LocalMaxEntries { get; set; } = 100_000;

    /// <summary>Part of every Redis (L2) key and the backplane channel; bump it when cached shapes change, so old entries are never read.</summary>
    public string KeyPrefix { get; set; } = "cache:v2:";

    /// <summary>
    /// The longest any entry lives (longer lifetimes asked for are cut to it). Tag invalidations are kept this long
    /// plus the fail-safe window, after which no entry can predate them: per-poll tags do not pile up.
    /// </summary>
    public TimeSpan LongestEntryLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long past its expiry an entry may still be served when the factory fails (fail-safe).</summary>
    public TimeSpan FailSafeMaxDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A factory slower than this, when a stale value exists, is left to finish in the background and the stale value served.</summary>
    public TimeSpan FactorySoftTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest a read waits for Redis before going to the factory (or, with a stale value at hand, serving it).</summary>
    public TimeSpan DistributedTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long an instance trusts its own copy of an entry that Redis also holds (unset: as long as the entry says).
    /// A shorter time bounds how stale an instance can be should it miss a backplane message; zero sends every read
    /// to Redis, and the local copy then only serves as the fail-safe.
    /// </summary>
    public TimeSpan? LocalCopyMaxDuration { get; set; }

    /// <summary>After a Redis failure, how long the cache works from memory and the factory alone before trying Redis again.</summary>
    public TimeSpan DistributedBreakDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>After Redis comes back, how long an instance waits before replaying the invalidations it could not send.</summary>
    public TimeSpan AutoRecoveryDelay { get; set; } = TimeSpan.FromSeconds(1);
}
