using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Shared.Http;
using Shared.Problems;

namespace Shared.Tenancy;

/// <summary>
/// Binds each request's <see cref="TenantScope"/> before any module runs: on a public route (one naming a public id), to the id's
/// owner (whoever the caller is); otherwise to the tenant of the authenticated caller. Requests with neither
/// (sign-up, login) bind their own once they know the tenant.
/// </summary>
public sealed class TenantResolution(RequestDelegate next, TenantDirectory directory, ICallerIdentity callers)
{
    public async Task InvokeAsync(HttpContext context, TenantScope scope)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<TenantFromPublicRoute>() is { } route)
        {
            var placement = RouteId.TryParse(context.GetRouteValue(route.RouteParameter) as string, out var publicId)
                ? await directory.FindByPublicIdAsync(publicId, context.RequestAborted)
                : null;
            if (placement is null)
            {
                await ProblemWriter.WriteAsync(context, StatusCodes.Status404NotFound, ProblemCodes.NotFound, "Not found", "The poll was not found.");
                return;
            }
            scope.Enter(placement);
        }
        else if (Guid.TryParse(callers.Of(context.User)?.Tenant, out var tenantId))
        {
            var placement = await directory.FindAsync(tenantId, context.RequestAborted);
            if (placement is null)
            {
                // A well-signed token for a tenant that no longer exists.
                await ProblemWriter.WriteAsync(context, StatusCodes.Status401Unauthorized, ProblemCodes.InvalidToken, "Unauthorized",
                    "The credentials name a tenant that does not exist.");
                return;
            }
            scope.Enter(placement);
        }
        await next(context);
    }
}
