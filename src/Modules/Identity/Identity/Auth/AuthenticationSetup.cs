using Identity.Contracts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Identity.Auth;

internal static class AuthenticationSetup
{
    private const string BearerOrApiKey = "BearerOrApiKey";

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
