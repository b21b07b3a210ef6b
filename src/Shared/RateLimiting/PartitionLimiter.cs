using System.Diagnostics;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using StackExchange.Redis;

namespace Shared.RateLimiting;

/// <summary>
/// The limiter of one partition (one client address, or one caller of one tenant): asks Redis for the cluster-wide
/// decision and, when Redis gives none, decides with token buckets of its own holding this instance's share of each
/// rule. Either way it tells the client where it stands (<c>RateLimit-*</c> headers): ASP.NET Core's middleware does
/// not show a granted lease to anything else, so the limiter writes them on the request it serves.
/// </summary>
internal sealed class PartitionLimiter : RateLimiter
{
    private static readonly RateLimitLease Undecided = new Decided(default);

    private readonly string _policy;
    private readonly RateBucket[] _buckets;
    private readonly RedisKey[] _keys;
    private readonly RedisValue[] _rules;
    private readonly ClusterDecisions _cluster;
    private readonly int _instances;
    private readonly IHttpContextAccessor _http;
    private readonly Lock _localLock = new();
    private TokenBucketRateLimiter[]? _local;
    private long _lastUsed = Stopwatch.GetTimestamp();

    public PartitionLimiter(string policy, RateBucket[] buckets, ClusterDecisions cluster, int instances, IHttpContextAccessor http)
    {
        _policy = policy;
        _buckets = buckets;
        _keys = [.. buckets.Select(b => (RedisKey)b.Key)];
        _rules = [.. buckets.SelectMany(b => new RedisValue[] { b.IntervalMicroseconds, b.Rule.Limit })];
        _cluster = cluster;
        _instances = instances;
        _http = http;
    }

    public override TimeSpan? IdleDuration => Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastUsed));

    public override RateLimiterStatistics? GetStatistics() => null;

    /// <summary>
    /// The middleware tries this first and waits on <see cref="AcquireAsyncCore"/> when it is refused: every decision
    /// is left to the wait, so that each request is decided (and counted) once.
    /// </summary>
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => Undecided;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        var decision = _cluster.Available ? await _cluster.DecideAsync(_keys, _rules) : null;
        return Grant(decision ?? DecideLocally());
    }

    private RateLimitLease Grant(RateDecision decision)
    {
        Interlocked.Exchange(ref _lastUsed, Stopwatch.GetTimestamp());
        if (_http.HttpContext?.Response is { HasStarted: false } response)
        {
            response.Headers["RateLimit-Limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
            response.Headers["RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
            response.Headers["RateLimit-Reset"] = WholeSeconds(decision.Reset).ToString(CultureInfo.InvariantCulture);
        }
        return new Decided(decision);
    }

    /// <summary>
    /// This instance's share of every bucket; a request is allowed only if each has a token for it (a refusal by a
    /// later bucket does not give back an earlier one's token: the local buckets are the fallback, and err on the safe side).
    /// </summary>
    private RateDecision DecideLocally()
    {
        _cluster.CountLocal(_policy);
        var buckets = LocalBuckets();
        var allowed = true;
        RateDecision tightest = default;
        for (var i = 0; i < buckets.Length; i++)
        {
            using var lease = buckets[i].AttemptAcquire();
            allowed &= lease.IsAcquired;
            var limit = LocalLimit(_buckets[i].Rule);
            var left = buckets[i].GetStatistics()?.CurrentAvailablePermits ?? 0;
            var perToken = _buckets[i].Rule.Window * _instances / _buckets[i].Rule.Limit;
            if (i == 0 || left < tightest.Remaining)
            {
                tightest = new RateDecision(allowed, limit, left, perToken * (limit - left), lease.IsAcquired ? TimeSpan.Zero : perToken);
            }
        }
        return tightest with { Allowed = allowed };
    }

    private TokenBucketRateLimiter[] LocalBuckets()
    {
        lock (_localLock)
        {
            return _local ??= [.. _buckets.Select(b => LocalBucket(b.Rule))];
        }
    }

    /// <summary>A token bucket refilled a few times a second at this instance's share of the rule's rate.</summary>
    private TokenBucketRateLimiter LocalBucket(RateRule rule)
    {
        var perSecond = rule.Limit / rule.Window.TotalSeconds / _instances;
        var period = TimeSpan.FromSeconds(Math.Max(0.1, 1 / perSecond));
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = LocalLimit(rule),
            TokensPerPeriod = Math.Max(1, (int)Math.Round(perSecond * period.TotalSeconds)),
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private int LocalLimit(RateRule rule) => Math.Max(1, rule.Limit / _instances);

    private static long WholeSeconds(TimeSpan time) => (long)Math.Ceiling(time.TotalSeconds);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_localLock)
            {
                foreach (var bucket in _local ?? [])
                {
                    bucket.Dispose();
                }
            }
        }
        base.Dispose(disposing);
    }

    /// <summary>A lease that holds nothing: rates are spent on arrival, not returned when a request ends.</summary>
    private sealed class Decided(RateDecision decision) : RateLimitLease
    {
        public override bool IsAcquired => decision.Allowed;

        public override IEnumerable<string> MetadataNames => decision.Allowed ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = !decision.Allowed && metadataName == MetadataName.RetryAfter.Name ? decision.RetryAfter : null;
            return metadata is not null;
        }
    }
}
