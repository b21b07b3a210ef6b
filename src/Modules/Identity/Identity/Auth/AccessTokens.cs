using System.Security.Claims;
using Identity.Contracts;
using Identity.Domain;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Identity.Auth;

/// <summary>Issues the short-lived HS256 access tokens that the JwtBearer scheme validates.</summary>
internal sealed class AccessTokens(IOptions<AuthOptions> options, TimeProvider clock)
{
    private readonly JsonWebTokenHandler _handler = new();

    public (string Token, TimeSpan Lifetime) Issue(Member member, Tenant tenant)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + settings.AccessTokenLifetime,
            SigningCredentials = new SigningCredentials(SigningKey(settings), SecurityAlgorithms.HmacSha256),
            Subject = new ClaimsIdentity(
            [
                new Claim(IdentityClaims.Subject, member.Id.ToString()),
                new Claim(IdentityClaims.TenantId, tenant.Id.ToString()),
                new Claim(IdentityClaims.TenantSlug, tenant.Slug),
                new Claim(IdentityClaims.Email, member.Email),
                new Claim(IdentityClaims.Role, RoleNames.Of(member.Role)),
            ]),
        });
        return (token, settings.AccessTokenLifetime);
    }

    public static SymmetricSecurityKey SigningKey(AuthOptions settings) => new(settings.SigningKeyBytes);
}
