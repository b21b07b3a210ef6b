namespace Identity.Contracts;

/// <summary>The claims Identity puts on every authenticated principal, whether it came from a token or an API key.</summary>
public static class IdentityClaims
{
    public const string Subject = "sub";
    public const string TenantId = "tid";
    public const string TenantSlug = "tslug";
    public const string Role = "role";
    public const string Email = "email";
    public const string ApiKeyId = "kid";
}
