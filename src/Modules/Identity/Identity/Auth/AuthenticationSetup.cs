using Identity.Contracts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Net.Http.Headers;

namespace Identity.Auth;

internal static class AuthenticationSetup
{
    private const string BearerOrApiKey = "BearerOrApiKey";
    private const string FrameworkAuthenticationMark = "__AuthenticationMiddlewareSet";

    public static IServiceCollection AddTenantAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddSingleton<AccessTokens>();

        services
            .AddAuthentication(BearerOrApiKey)
            // A request names its credential by its header; one scheme is asked, never both.
            .AddPolicyScheme(BearerOrApiKey, BearerOrApiKey, options => options.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName)
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : JwtBearerDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((jwt, auth) => ConfigureJwt(jwt, auth.Value));

        services.AddAuthorizationBuilder()
            .AddPolicy(AccessPolicies.Member, policy => policy.RequireClaim(IdentityClaims.TenantId)
                .RequireClaim(IdentityClaims.Role, RoleNames.Of(MemberRole.Admin), RoleNames.Of(MemberRole.Editor), RoleNames.Of(MemberRole.Viewer)))
            .AddPolicy(AccessPolicies.Editor, policy => policy.RequireClaim(IdentityClaims.TenantId)
                .RequireClaim(IdentityClaims.Role, RoleNames.Of(MemberRole.Admin), RoleNames.Of(MemberRole.Editor)))
            .AddPolicy(AccessPolicies.Admin, policy => policy.RequireClaim(IdentityClaims.TenantId)
                .RequireClaim(IdentityClaims.Role, RoleNames.Of(MemberRole.Admin)));
        return services;
    }

    /// <summary>
    /// Runs authentication for requests that present a credential (a bearer token or an API key) and only for those:
    /// one that presents none comes out anonymous anyway, and the public hot paths (poll views, votes) are exactly
    /// such requests, which this spares two authentication handlers each. A protected route still answers them 401,
    /// from the challenge authorization issues.
    /// </summary>
    public static IApplicationBuilder UseCredentialAuthentication(this IApplicationBuilder app)
    {
        // WebApplication puts authentication in front of the whole pipeline unless the app added it itself, and it
        // cannot see it inside a branch: this is the mark it looks for. Were the mark ever renamed, authentication
        // would run for every request again: slower, never less safe.
        app.Properties[FrameworkAuthenticationMark] = true;
        return app.UseWhen(
            context => context.Request.Headers.ContainsKey(HeaderNames.Authorization) || context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName),
            branch => branch.UseAuthentication());
    }

    private static void ConfigureJwt(JwtBearerOptions jwt, AuthOptions auth)
    {
        jwt.MapInboundClaims = false;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = auth.Issuer,
            ValidAudience = auth.Audience,
            IssuerSigningKey = AccessTokens.SigningKey(auth),
            // Only what we issue: this refuses alg "none" and any algorithm confusion.
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromSeconds(30),
            NameClaimType = IdentityClaims.Subject,
            RoleClaimType = IdentityClaims.Role,
        };
        jwt.Events = new JwtBearerEvents
        {
            OnChallenge = async context =>
            {
                context.HandleResponse();
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await AuthProblems.Unauthorized(context.HttpContext);
            },
            OnForbidden = context => AuthProblems.Forbidden(context.HttpContext).AsTask(),
        };
    }
}
