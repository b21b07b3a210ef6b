using Identity.Data;
using Identity.Domain;
using Microsoft.Extensions.Options;

namespace Identity.Auth;

/// <summary>The body of a successful login or refresh.</summary>
internal sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken);

/// <summary>Issues an access token together with the next refresh token of the member's chain.</summary>
internal sealed class TokenPairs(IdentityDbContext db, AccessTokens accessTokens, IOptions<AuthOptions> options, TimeProvider clock)
{
    public const string RefreshTokenPrefix = "rt_";

    /// <summary>Stores the new refresh token (with any pending change in <c>db</c>) and returns the pair.</summary>
    public async Task<TokenResponse> IssueAsync(Member member, Tenant tenant, RefreshToken? predecessor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var lifetime = options.Value.RefreshTokenLifetime;
        var secret = Secret.Generate(RefreshTokenPrefix, tenant.Id);
        var hash = Secret.Hash(secret);
        db.RefreshTokens.Add(predecessor is null
            ? RefreshToken.StartFamily(tenant.Id, member.Id, hash, now, lifetime)
            : predecessor.Successor(hash, now, lifetime));
        await db.SaveChangesAsync(cancellationToken);

        var (accessToken, accessLifetime) = accessTokens.Issue(member, tenant);
        return new TokenResponse(accessToken, "Bearer", (int)accessLifetime.TotalSeconds, secret);
    }
}
