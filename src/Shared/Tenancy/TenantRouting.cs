using Microsoft.AspNetCore.Builder;

namespace Shared.Tenancy;

/// <summary>
/// Endpoint metadata for public routes, which carry no credentials: the tenant is the one that owns the resource
/// named by the route's <see cref="RouteParameter"/>, found through the catalog's public routes.
/// </summary>
public sealed record TenantFromPublicRoute(string RouteParameter);

public static class TenantRoutingExtensions
{
    /// <summary>The request acts for the tenant owning the id in <paramref name="routeParameter"/> (written with <see cref="TenantDirectory.AddPublicRouteAsync"/>).</summary>
    public static TBuilder ResolvesTenantFromPublicId<TBuilder>(this TBuilder builder, string routeParameter)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new TenantFromPublicRoute(routeParameter));
}
