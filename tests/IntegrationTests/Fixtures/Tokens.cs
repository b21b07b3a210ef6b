using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IntegrationTests.Fixtures;

/// <summary>Forges access tokens the way an attacker or a stale client would present them.</summary>
public static class Tokens
{
    public static string Forge(Guid tenantId, string slug, string role, DateTime expires, string? key = null, string issuer = "polling-platform")
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = "polling-platform-api",
            IssuedAt = expires.AddMinutes(-15),
            NotBefore = expires.AddMinutes(-15) < now ? expires.AddMinutes(-15) : now,
            Expires = expires,
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(key ?? ApiFactory.SigningKey)), SecurityAlgorithms.HmacSha256),
            Subject = new ClaimsIdentity([
                new Claim("sub", Guid.NewGuid().ToString()), new Claim("tid", tenantId.ToString()),
                new Claim("tslug", slug), new Claim("email", "forged@example.com"), new Claim("role", role)]),
        });
    }

    /// <summary>The same claims with <c>alg: none</c> and no signature.</summary>
    public static string Unsigned(Guid tenantId, string slug, string role)
    {
        static string Part(string json) => Base64UrlEncoder.Encode(json);
        var exp = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds();
        return Part("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." +
            Part($"{{\"sub\":\"{Guid.NewGuid()}\",\"tid\":\"{tenantId}\",\"tslug\":\"{slug}\",\"role\":\"{role}\",\"iss\":\"polling-platform\",\"aud\":\"polling-platform-api\",\"exp\":{exp}}}") + ".";
    }

    /// <summary>A valid token with one character of its signature changed.</summary>
    public static string Tampered(string token) => token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];
}
