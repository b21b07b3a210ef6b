using System.Security.Claims;
using System.Text.Json;
using Identity.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Polls.Contracts;
using Polls.Data;
using Shared.Data;
using Shared.Http;
using Shared.Json;
using Shared.Validation;

namespace Polls.Features.ListPolls;

internal static class ListPollsEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("", Handle)
            .RequireAuthorization(AccessPolicies.Member)
            .WithSummary("List the tenant's polls, newest first")
            .WithName("listPolls")
            .WithDescription("Filter with status=draft|open|closed; page with limit (1..100) and the nextCursor of the previous page.");

    private static async Task<Results<Ok<Page<PollView>>, ValidationProblem>> Handle(
        string? status, int? limit, string? cursor, ClaimsPrincipal principal, PollsDbContext db, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var wanted = ParseStatus(status, errors);
        if (PageRequest.Parse(limit, cursor, errors) is not { } page || errors.Any)
        {
            return errors.ToProblem();
        }
        var now = clock.GetUtcNow();
        var tenantId = TenantMember.From(principal).TenantId;
        var query = db.Polls.AsNoTracking().Where(p => p.TenantId == tenantId && p.ArchivedAt == null);
        query = wanted switch
        {
            PollStatus.Draft => query.Where(p => p.Status == PollStatus.Draft),
            PollStatus.Open => query.Where(p => p.Status == PollStatus.Open && (p.ClosesAt == null || p.ClosesAt > now)),
            PollStatus.Closed => query.Where(p => p.Status == PollStatus.Closed || (p.Status == PollStatus.Open && p.ClosesAt <= now)),
            _ => query,
        };
        return TypedResults.Ok(await query.ToPageAsync(page, p => PollView.Of(p, now), cancellationToken));
    }

    private static PollStatus? ParseStatus(string? status, ValidationErrors errors)
    {
        if (string.IsNullOrEmpty(status))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<PollStatus>($"\"{JsonEncodedText.Encode(status)}\"", ApiJson.Options);
        }
        catch (JsonException)
        {
            errors.Add("status", "Must be draft, open or closed.");
            return null;
        }
    }
}
