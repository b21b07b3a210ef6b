using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Shared.Http;

namespace Shared.RateLimiting;

/// <summary>
/// A named policy: which partition a request falls in (its client address, or its tenant and caller) and the
/// buckets that partition draws from. Partitions are made on first use and dropped by ASP.NET Core once idle.
/// </summary>
internal sealed class PartitionPolicy : IRateLimiterPolicy<string>
{
    private readonly Func<HttpContext, string> _partitionOf;
    private readonly Func<string, RateLimiter> _limiterOf;

    private PartitionPolicy(Func<HttpContext, string> partitionOf, Func<string, RateLimiter> limiterOf)
    {
        _partitionOf = partitionOf;
        _limiterOf = limiterOf;
    }

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => null;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) => RateLimitPartition.Get(_partitionOf(httpContext), _limiterOf);

    /// <summary>One bucket per client address, under the policy's own rule.</summary>
    public static PartitionPolicy PerClient(string policy, RateRule rule, RateLimitContext limits) =>
        new(ClientOf, client => limits.Limiter(policy, [new RateBucket($"{limits.KeyPrefix}{policy}:{client}", rule)]));

    /// <summary>Two buckets per caller: the caller's own, and the one all of its tenant's callers share.</summary>
    public static PartitionPolicy PerCaller(string policy, RateRule caller, RateRule tenant, RateLimitContext limits, ICallerIdentity callers) =>
        new(context => CallerOf(context, callers), key =>
        {
            var tenantId = key[..key.IndexOf('/')];
            // The tenant in braces: a Redis cluster keeps both keys in one slot, as a script over two keys needs.
            return limits.Limiter(policy,
            [
                new RateBucket($"{limits.KeyPrefix}{{{tenantId}}}:{policy}:{key}", caller),
                new RateBucket($"{limits.KeyPrefix}{{{tenantId}}}:{RateLimitPolicies.Tenants}", tenant),
            ]);
        });

    /// <summary>"tenant/caller" for a member; a request without both (it is refused later anyway) counts by its address.</summary>
    private static string CallerOf(HttpContext context, ICallerIdentity callers) =>
        callers.Of(context.User) is { } caller ? $"{caller.Tenant}/{caller.Id}" : $"anonymous/{ClientOf(context)}";

    /// <summary>
    /// The client's address (the forwarded one only through a known proxy, see ForwardedHeaders). An IPv6 client
    /// counts by its /64, the block one subscriber is usually given, so that it cannot step around its limit.
    /// </summary>
    private static string ClientOf(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }
}
