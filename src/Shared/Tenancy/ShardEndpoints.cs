using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Http.HttpResults;
using Shared.Http;
using Shared.OpenApi;
using Shared.Problems;
using Shared.Validation;

namespace Shared.Tenancy;

internal sealed record ShardView(string Id, string State, long Tenants);

[RequestBody]
internal sealed record MoveTenantRequest(string? ToShard);

internal sealed record MoveTenantResponse(Guid TenantId, string FromShard, string ToShard, long RowsCopied, long WritesPausedMilliseconds);

/// <summary>Operators see the shards and how full they are, and move a tenant to another shard online.</summary>
public static class ShardEndpoints
{
    public static void Map(RouteGroupBuilder ops)
    {
        ops.MapGet("/shards", ListAsync)
            .WithSummary("Shards, their state and tenant count (X-Operator-Key)")
            .WithName("listShards")
            .WithDescription("Operators only. Every configured shard, whether it takes new tenants, and how many tenants live on it.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        ops.MapPost("/tenants/{tenantId}/move", MoveAsync)
            .WithSummary("Move a tenant to another shard, online (X-Operator-Key)")
            .WithName("moveTenant")
            .WithDescription("The tenant's writes get 503 unavailable with Retry-After for the moment of the switch; its reads and every other tenant carry on. Answers once the move is done.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(new MoveTenantRequest("shard-1"));
    }

    private static async Task<Ok<List<ShardView>>> ListAsync(TenantDirectory directory, CancellationToken cancellationToken) =>
        TypedResults.Ok((await directory.ShardsAsync(cancellationToken)).Select(s => new ShardView(s.Id, s.State, s.Tenants)).ToList());

    private static async Task<Results<Ok<MoveTenantResponse>, ValidationProblem, ProblemHttpResult>> MoveAsync(
        string tenantId, MoveTenantRequest request, TenantMover mover, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.RequireText("toShard", request.ToShard, 64);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        if (!RouteId.TryParse(tenantId, out var id))
        {
            return ApiProblem.NotFound("The tenant");
        }
        // Not cancelled with the request: a move half done is undone, but one that has switched must finish.
        var report = await mover.MoveAsync(id, request.ToShard!, CancellationToken.None);
        return report.Outcome switch
        {
            MoveOutcome.Moved => TypedResults.Ok(new MoveTenantResponse(id, report.FromShard!, report.ToShard, report.RowsCopied, report.WritesPausedMilliseconds)),
            MoveOutcome.UnknownTenant => ApiProblem.NotFound("The tenant"),
            MoveOutcome.UnknownShard => errors.Add("toShard", $"'{request.ToShard}' is not an active shard.").ToProblem(),
            MoveOutcome.AlreadyThere => errors.Add("toShard", $"The tenant already lives on '{request.ToShard}'.").ToProblem(),
            MoveOutcome.WorkInFlight => ApiProblem.Conflict(ProblemCodes.InvalidTransition,
                "The tenant has messages still being handled on its shard (being retried, say); nothing was moved. Try again shortly."),
            _ => ApiProblem.Conflict(ProblemCodes.InvalidTransition, "The tenant is being moved already."),
        };
    }
}
