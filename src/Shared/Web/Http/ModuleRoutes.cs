using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace Shared.Http;

/// <summary>Where a module's routes hang: one group per module, carrying its route prefix and its OpenAPI tag.</summary>
public static class ModuleRoutes
{
    /// <summary>
    /// The module's group. Its root route (mapped as "" under the prefix) is named in metrics and logs as the prefix
    /// itself, "/api/polls", not with the trailing slash ASP.NET Core joins the two with ("/api/polls/").
    /// </summary>
    public static RouteGroupBuilder MapModuleGroup(this IEndpointRouteBuilder routes, string prefix, string tag)
    {
        var group = routes.MapGroup(prefix).WithTags(tag);
        ((IEndpointConventionBuilder)group).Add(endpoint =>
        {
            if (endpoint is RouteEndpointBuilder { RoutePattern.RawText: { Length: > 1 } route } && route.EndsWith('/'))
            {
                endpoint.Metadata.Add(new DiagnosticsRoute(route.TrimEnd('/')));
            }
        });
        return group;
    }

    private sealed record DiagnosticsRoute(string Route) : IRouteDiagnosticsMetadata;
}
