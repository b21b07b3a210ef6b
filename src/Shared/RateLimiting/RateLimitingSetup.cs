using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shared.Caching;
using Shared.Configuration;
using Shared.Http;
using Shared.Problems;
using StackExchange.Redis;

namespace Shared.RateLimiting;

/// <summary>
/// ASP.NET Core's rate-limiting middleware with the policies of <see cref="RateLimitPolicies"/>, each a cluster-wide
/// rate kept in Redis (<see cref="GcraScript"/>) with a local fallback. A refusal is <c>429 rate_limited</c>
/// problem+json with <c>Retry-After</c>; allowed and refused requests alike carry <c>RateLimit-*</c> headers.
/// </summary>
public static class RateLimitingSetup
{
    public static IServiceCollection AddPlatformRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = Bind(configuration);
        var keyPrefix = (configuration.GetSection(CachingOptions.Section).Get<CachingOptions>() ?? new CachingOptions()).KeyPrefix + "rate:";
        services.AddHttpContextAccessor();
        services.AddSingleton<RateLimitMetrics>();
        services.AddSingleton(provider => new ClusterDecisions(provider.GetService<IConnectionMultiplexer>(), provider.GetRequiredService<RateLimitMetrics>(),
            provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<ClusterDecisions>>()));
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = RejectAsync;
        });
        services.AddOptions<RateLimiterOptions>().Configure<ClusterDecisions, IHttpContextAccessor, ICallerIdentity>((options, cluster, http, callers) =>
        {
            var limits = new RateLimitContext(cluster, settings, keyPrefix, http);
            var rules = settings.Policies;
            options.AddPolicy(RateLimitPolicies.Public, Policy(settings, PartitionPolicy.PerClient(RateLimitPolicies.Public, rules[RateLimitPolicies.Public], limits)));
            options.AddPolicy(RateLimitPolicies.Votes, Policy(settings, PartitionPolicy.PerClient(RateLimitPolicies.Votes, rules[RateLimitPolicies.Votes], limits)));
            options.AddPolicy(RateLimitPolicies.Credentials, Policy(settings, PartitionPolicy.PerClient(RateLimitPolicies.Credentials, rules[RateLimitPolicies.Credentials], limits)));
            options.AddPolicy(RateLimitPolicies.Members, Policy(settings,
                PartitionPolicy.PerCaller(RateLimitPolicies.Members, rules[RateLimitPolicies.Members], rules[RateLimitPolicies.Tenants], limits, callers)));
        });
        return services;
    }

    /// <summary>After authentication and tenant resolution, so that member routes count by tenant and caller.</summary>
    public static IApplicationBuilder UsePlatformRateLimiting(this IApplicationBuilder app) => app.UseRateLimiter();

    /// <summary>Limits switched off: every route keeps its policy name, and each policy lets everything through.</summary>
    private static IRateLimiterPolicy<string> Policy(RateLimitOptions settings, IRateLimiterPolicy<string> policy) =>
        settings.Enabled ? policy : Unlimited.Instance;

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));
        context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await ProblemWriter.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, ProblemCodes.RateLimited, "Too many requests",
            $"This client has used up its request rate for now; retry in {seconds} s.");
    }

    private static RateLimitOptions Bind(IConfiguration configuration)
    {
        RateLimitOptions settings;
        try
        {
            settings = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidSettingException(RateLimitOptions.Section, $"has a value that does not read: {e.Message}");
        }
        if (settings.Instances < 1)
        {
            throw new InvalidSettingException($"{RateLimitOptions.Section}:Instances", "must be at least 1");
        }
        foreach (var name in RateLimitPolicies.Rules)
        {
            var key = $"{RateLimitOptions.Section}:Policies:{name}";
            if (!settings.Policies.TryGetValue(name, out var rule))
            {
                throw new InvalidSettingException(key, "is missing (Limit and Window)");
            }
            if (rule.Limit < 1)
            {
                throw new InvalidSettingException($"{key}:Limit", "must be at least 1");
            }
            if (rule.Window <= TimeSpan.Zero)
            {
                throw new InvalidSettingException($"{key}:Window", "must be longer than zero (hh:mm:ss)");
            }
        }
        return settings;
    }

    private sealed class Unlimited : IRateLimiterPolicy<string>
    {
        public static readonly Unlimited Instance = new();

        public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => null;

        public RateLimitPartition<string> GetPartition(HttpContext httpContext) => RateLimitPartition.GetNoLimiter("unlimited");
    }
}
