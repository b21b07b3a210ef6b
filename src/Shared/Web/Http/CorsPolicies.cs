namespace Shared.Http;

/// <summary>The CORS policies routes name with <c>RequireCors</c>.</summary>
public static class CorsPolicies
{
    /// <summary>
    /// The public poll routes, which tenants embed on their own sites: callable from the origins in
    /// <c>Cors:AllowedOrigins</c>. Member routes name no policy, so no browser page elsewhere can call them.
    /// </summary>
    public const string Embeds = "Embeds";
}
