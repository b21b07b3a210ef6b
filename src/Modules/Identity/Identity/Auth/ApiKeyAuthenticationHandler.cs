using System.Security.Claims;
using System.Text.Encodings.Web;
using Identity.Contracts;
using Identity.Domain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shared.Tenancy;

namespace Identity.Auth;

/// <summary>Authenticates servers by <c>X-Api-Key</c>, giving them the same tenant and role claims a person's token has.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TenantDirectory directory,
    ApiKeyLookup keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string KeyPrefix = "pk_";
    private const int MaxKeyLength = 128;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Request.Headers[HeaderName].ToString();
        if (presented.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }
        if (presented.Length > MaxKeyLength || !Secret.TryReadTenant(presented, KeyPrefix, out var tenantId)
            || await directory.FindAsync(tenantId, Context.RequestAborted) is not { } tenant)
        {
            return AuthenticateResult.Fail("The API key is not valid.");
        }
        // The key names its tenant, whose shard holds the key: the request acts for that tenant.
        Context.RequestServices.GetRequiredService<TenantScope>().Enter(tenant);
        var match = await keys.FindAsync(tenant, Secret.Hash(presented), Context.RequestAborted);
        if (match is null || match.TenantId != tenant.TenantId)
        {
            return AuthenticateResult.Fail("The API key is not valid.");
        }
        var identity = new ClaimsIdentity(
            [
                new Claim(IdentityClaims.ApiKeyId, match.KeyId.ToString()),
                new Claim(IdentityClaims.TenantId, match.TenantId.ToString()),
                new Claim(IdentityClaims.TenantSlug, match.TenantSlug),
                new Claim(IdentityClaims.Role, RoleNames.Of(match.Role)),
            ],
            SchemeName,
            IdentityClaims.ApiKeyId,
            IdentityClaims.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        AuthProblems.Unauthorized(Context).AsTask();

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        AuthProblems.Forbidden(Context).AsTask();
}
