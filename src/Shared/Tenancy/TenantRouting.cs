using Microsoft.AspNetCore.Builder;

namespace Shared.Tenancy;

/// <summary>
/// Endpoint metadata for public routes, which carry no credentials: the tenant is the one that owns the poll named
/// by the route's <see cref="RouteParameter"/>, found through the catalog's poll routes.
/// </summary>
public sealed record TenantFromPollRoute(string RouteParameter);

public static class TenantRoutingExtensions
{
    public static TBuilder ResolvesTenantFromPoll<TBuilder>(this TBuilder builder, string routeParameter = "pollId")
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new TenantFromPollRoute(routeParameter));
}
