using System.Security.Claims;
using Identity.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shared.OpenApi;
using Shared.Problems;
using Webhooks.Data;
using Webhooks.Delivery;
using Webhooks.Domain;

namespace Webhooks.Features.RegisterWebhook;

internal static class RegisterWebhookEndpoint
{
    /// <summary>The two-key advisory lock space of webhook registrations ("hook"), apart from every other lock's.</summary>
    private const int RegistrationLockSpace = 0x686f6f6b;

    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("", Handle)
            .RequireAuthorization(AccessPolicies.Admin)
            .WithSummary("Register a webhook endpoint (its secret is shown once)")
            .WithName("registerWebhook")
            .SendsLocation()
            .WithDescription("Admins only. The URL must be https and reach a public address. The answer carries the secret that signs every delivery (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature); it is not shown again.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(new RegisterWebhookRequest("https://hooks.example.com/polls", [WebhookEvents.PollClosed, WebhookEvents.ResultsFinal], "newsroom results feed"));

    private static async Task<Results<Created<RegisteredWebhookResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        RegisterWebhookRequest request, ClaimsPrincipal principal, WebhooksDbContext db, DestinationPolicy destinations,
        IOptions<WebhookOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (url, errors) = await RegisterWebhookValidator.ValidateAsync(request, destinations, cancellationToken);
        if (url is null)
        {
            return errors.ToProblem();
        }
        var tenantId = TenantMember.From(principal).TenantId;
        var limit = options.Value.MaxEndpointsPerTenant;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // A tenant's registrations take turns (a transaction-scoped advisory lock, in memory only), so that two at once
        // cannot both count room under the limit and both insert.
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock({RegistrationLockSpace}, hashtext({tenantId.ToString()}))", cancellationToken);
        if (await db.Endpoints.CountAsync(e => e.TenantId == tenantId, cancellationToken) >= limit)
        {
            return ApiProblem.Conflict(ProblemCodes.LimitReached, $"A tenant has at most {limit} webhook endpoints; remove one first.");
        }
        var endpoint = WebhookEndpoint.Register(tenantId, url, request.Events!.Select(e => e!), request.Description, clock.GetUtcNow());
        db.Endpoints.Add(endpoint);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/webhooks/{endpoint.Id}",
            new RegisteredWebhookResponse(endpoint.Id, endpoint.Url, endpoint.Events, endpoint.Description, endpoint.CreatedAt, endpoint.Secret));
    }
}
