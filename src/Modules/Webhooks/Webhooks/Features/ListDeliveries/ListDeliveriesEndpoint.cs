using System.Security.Claims;
using Identity.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Shared.Data;
using Shared.Http;
using Shared.Problems;
using Shared.Validation;
using Webhooks.Data;
using Webhooks.Domain;

namespace Webhooks.Features.ListDeliveries;

/// <param name="DeliveryId">The delivery's webhook-id, the same on each of its attempts.</param>
/// <param name="StatusCode">What the endpoint answered; null when it did not (see error).</param>
/// <param name="EndpointDisabled">This failure disabled the endpoint.</param>
internal sealed record DeliveryAttemptView(
    Guid Id, Guid DeliveryId, string Event, int Attempt, DateTimeOffset AttemptedAt, bool Succeeded,
    int? StatusCode, int LatencyMilliseconds, string? Error, bool EndpointDisabled)
{
    public static DeliveryAttemptView Of(DeliveryAttempt a) =>
        new(a.Id, a.DeliveryId, a.Event, a.Attempt, a.AttemptedAt, a.Succeeded, a.StatusCode, a.LatencyMilliseconds, a.Error, a.DisabledEndpoint);
}

internal static class ListDeliveriesEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/{id}/deliveries", Handle)
            .RequireAuthorization(AccessPolicies.Admin)
            .WithSummary("A webhook endpoint's delivery attempts, newest first")
            .WithName("listWebhookDeliveries")
            .WithDescription("Admins only. Each attempt: event, time, status code, latency and error, and whether it disabled the endpoint. Page with limit (1..100) and the nextCursor of the previous page.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<Results<Ok<Page<DeliveryAttemptView>>, ValidationProblem, ProblemHttpResult>> Handle(
        string id, int? limit, string? cursor, ClaimsPrincipal principal, WebhooksDbContext db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (PageRequest.Parse(limit, cursor, errors) is not { } page)
        {
            return errors.ToProblem();
        }
        var endpoint = await db.Endpoints.AsNoTracking().FindForTenantAsync(TenantMember.From(principal).TenantId, id, cancellationToken);
        if (endpoint is null)
        {
            return ApiProblem.NotFound("The webhook endpoint");
        }
        var attempts = db.Attempts.AsNoTracking().Where(a => a.EndpointId == endpoint.Id && a.TenantId == endpoint.TenantId);
        return TypedResults.Ok(await attempts.ToPageAsync(page, DeliveryAttemptView.Of, cancellationToken));
    }
}
