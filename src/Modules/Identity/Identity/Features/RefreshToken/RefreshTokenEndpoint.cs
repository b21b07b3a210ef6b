using Identity.Auth;
using Identity.Data;
using Identity.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Shared.OpenApi;
using Shared.Problems;
using Shared.RateLimiting;
using Shared.Tenancy;

namespace Identity.Features.RefreshToken;

internal static class RefreshTokenEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/auth/refresh", Handle)
            .AllowAnonymous()
            .RequireRateLimiting(RateLimitPolicies.Credentials)
            .WithSummary("Trade a refresh token for a new token pair")
            .WithName("refreshToken")
            .WithDescription("Refresh tokens rotate: each is redeemable once. Presenting a used one revokes its whole family.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithRequestExample(new RefreshTokenRequest("rt_..."));

    private static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        RefreshTokenRequest request, TenantDirectory directory, TenantScope scope, IServiceProvider services, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var errors = RefreshTokenValidator.Validate(request);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        if (!Secret.TryReadTenant(request.RefreshToken!, TokenPairs.RefreshTokenPrefix, out var tenantId)
            || await directory.FindAsync(tenantId, cancellationToken) is not { } placement)
        {
            return InvalidToken();
        }
        // The token names its tenant; its shard holds the token. Contexts are resolved once the scope is bound to it.
        scope.Enter(placement);
        var db = services.GetRequiredService<IdentityDbContext>();
        var hash = Secret.Hash(request.RefreshToken!);
        var token = await db.RefreshTokens.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (token is null)
        {
            return InvalidToken();
        }
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        switch (token.Redeem(now))
        {
            case RefreshRedemption.Expired:
                return InvalidToken();
            case RefreshRedemption.Reused:
                await RevokeFamilyAsync(db, token.FamilyId, now, transaction);
                return InvalidToken();
        }
        // Claim the token atomically: of two concurrent redemptions exactly one sees a row to update,
        // and the other is treated as the reuse it is.
        var claimed = await db.RefreshTokens
            .Where(t => t.Id == token.Id && t.UsedAt == null && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), cancellationToken);
        if (claimed == 0)
        {
            await RevokeFamilyAsync(db, token.FamilyId, now, transaction);
            return InvalidToken();
        }
        var owner = await db.Members
            .Join(db.Tenants, m => m.TenantId, t => t.Id, (member, tenant) => new { member, tenant })
            .SingleAsync(x => x.member.Id == token.MemberId, cancellationToken);
        var pair = await services.GetRequiredService<TokenPairs>().IssueAsync(owner.member, owner.tenant, token, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(pair);
    }

    /// <summary>Revokes every token of the family and commits that, whatever becomes of the request.</summary>
    private static async Task RevokeFamilyAsync(IdentityDbContext db, Guid familyId, DateTimeOffset now, IDbContextTransaction transaction)
    {
        await db.RefreshTokens
            .Where(t => t.FamilyId == familyId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
    }
    private static ProblemHttpResult InvalidToken() =>
        ApiProblem.Create(StatusCodes.Status401Unauthorized, ProblemCodes.InvalidToken, "Invalid token",
            "The refresh token is unknown, expired or revoked.");
}
