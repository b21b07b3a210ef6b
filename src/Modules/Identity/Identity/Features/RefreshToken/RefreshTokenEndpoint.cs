using Identity.Auth;
using Identity.Data;
using Identity.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Shared.OpenApi;
using Shared.Problems;
using Shared.Validation;

namespace Identity.Features.RefreshToken;

internal static class RefreshTokenEndpoint
{
    private const int MaxTokenLength = 128;

    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/api/auth/refresh", Handle)
            .AllowAnonymous()
            .WithSummary("Trade a refresh token for a new token pair")
            .WithDescription("Refresh tokens rotate: each is redeemable once. Presenting a used one revokes its whole family.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithRequestExample(new RefreshTokenRequest("rt_..."));

    private static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        RefreshTokenRequest request, IdentityDbContext db, TokenPairs tokens, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.RequireText("refreshToken", request.RefreshToken, MaxTokenLength);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var hash = Secret.Hash(request.RefreshToken!);
        var token = await db.RefreshTokens.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (token is null)
        {
            return InvalidToken();
        }
        var now = clock.GetUtcNow();
        switch (token.Redeem(now))
        {
            case RefreshRedemption.Expired:
                return InvalidToken();
            case RefreshRedemption.Reused:
                await RevokeFamilyAsync(db, token.FamilyId, now, cancellationToken);
                return InvalidToken();
        }
        // Claim the token atomically: of two concurrent redemptions exactly one sees a row to update,
        // and the other is treated as the reuse it is.
        var claimed = await db.RefreshTokens
            .Where(t => t.Id == token.Id && t.UsedAt == null && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), cancellationToken);
        if (claimed == 0)
        {
            await RevokeFamilyAsync(db, token.FamilyId, now, cancellationToken);
            return InvalidToken();
        }
        var owner = await db.Members
            .Join(db.Tenants, m => m.TenantId, t => t.Id, (member, tenant) => new { member, tenant })
            .SingleAsync(x => x.member.Id == token.MemberId, cancellationToken);
        return TypedResults.Ok(await tokens.IssueAsync(owner.member, owner.tenant, token, cancellationToken));
    }

    private static Task<int> RevokeFamilyAsync(IdentityDbContext db, Guid familyId, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.RefreshTokens
            .Where(t => t.FamilyId == familyId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), CancellationToken.None);

    private static ProblemHttpResult InvalidToken() =>
        ApiProblem.Create(StatusCodes.Status401Unauthorized, ProblemCodes.InvalidToken, "Invalid token",
            "The refresh token is unknown, expired or revoked.");
}
