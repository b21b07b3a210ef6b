using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace Shared.RateLimiting;

/// <summary>What every partition's limiter is made with: the Redis decisions, the instance count and the key prefix.</summary>
internal sealed class RateLimitContext(ClusterDecisions cluster, RateLimitOptions options, string keyPrefix, IHttpContextAccessor http)
{
    public string KeyPrefix { get; } = keyPrefix;

    public RateLimiter Limiter(string policy, RateBucket[] buckets) => new PartitionLimiter(policy, buckets, cluster, options.Instances, http);
}
