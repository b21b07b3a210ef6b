using Identity.Auth;
using Identity.Data;
using Identity.Domain;
using Identity.Features.AddMember;
using Identity.Features.CreateApiKey;
using Identity.Features.GetMe;
using Identity.Features.IssueToken;
using Identity.Features.ListApiKeys;
using Identity.Features.ListMembers;
using Identity.Features.RefreshToken;
using Identity.Features.RegisterTenant;
using Identity.Features.RevokeApiKey;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shared.Tenancy;
using Shared.Http;
using Shared.RateLimiting;

namespace Identity;

/// <summary>The Identity module's only public surface: tenants, members, tokens and API keys.</summary>
public static class IdentityModule
{
    public static IServiceCollection AddIdentityModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDbContext<IdentityDbContext>(IdentityDbContext.Schema);
        services.AddSingleton<IPasswordHasher<Member>, PasswordHasher<Member>>();
        services.AddSingleton<Passwords>();
        services.AddScoped<TokenPairs>();
        services.AddSingleton<ApiKeyLookup>();
        services.AddSingleton<ICallerIdentity, CallerClaims>();
        services.AddTenantAuthentication(configuration);
        return services;
    }

    /// <summary>Authenticates the requests that present a credential (see <see cref="AuthenticationSetup.UseCredentialAuthentication"/>).</summary>
    public static IApplicationBuilder UseIdentityAuthentication(this IApplicationBuilder app) => app.UseCredentialAuthentication();

    public static IEndpointRouteBuilder MapIdentityEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapModuleGroup("/api", "Identity").RequireRateLimiting(RateLimitPolicies.Members);
        RegisterTenantEndpoint.Map(group);
        IssueTokenEndpoint.Map(group);
        RefreshTokenEndpoint.Map(group);
        GetMeEndpoint.Map(group);
        AddMemberEndpoint.Map(group);
        ListMembersEndpoint.Map(group);
        CreateApiKeyEndpoint.Map(group);
        ListApiKeysEndpoint.Map(group);
        RevokeApiKeyEndpoint.Map(group);
        return routes;
    }
}
