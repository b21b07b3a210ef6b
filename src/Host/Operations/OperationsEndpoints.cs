using Shared.Tenancy;

namespace Host.Operations;

/// <summary>The operator's routes, all behind <c>X-Operator-Key</c>.</summary>
internal static class OperationsEndpoints
{
    public static WebApplication MapOperations(this WebApplication app)
    {
        var ops = app.MapGroup("/api/ops").WithTags("Operations").AddEndpointFilter<OperatorKeyFilter>().AllowAnonymous();
        DeadLetterEndpoints.Map(ops);
        ShardEndpoints.Map(ops);
        return app;
    }
}
