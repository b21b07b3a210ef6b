using Identity.Contracts;
using Shared.Http;
using Shared.Problems;
using Shared.Tenancy;

namespace Host.Tenancy;

/// <summary>
/// Binds each request's <see cref="TenantScope"/> before any module runs: on a public poll route, to the poll's
/// owner (whoever the caller is); otherwise to the tenant of the authenticated caller. Requests with neither
/// (sign-up, login) bind their own once they know the tenant.
/// </summary>
internal sealed class TenantResolution(RequestDelegate next, TenantDirectory directory)
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
        else if (Guid.TryParse(context.User.FindFirst(IdentityClaims.TenantId)?.Value, out var tenantId))
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
