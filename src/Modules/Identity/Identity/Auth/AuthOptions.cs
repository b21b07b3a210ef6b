using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Identity.Auth;

/// <summary>The <c>Auth</c> configuration section: how tokens are signed and how long they live.</summary>
internal sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>The key in appsettings.Development.json. Anyone can read it, so only Development may use it.</summary>
    public const string DevelopmentSigningKey = "development-only-signing-key-do-not-use-in-production-0123456789";

    public string SigningKey { get; set; } = "";
    public string Issuer { get; set; } = "polling-platform";
    public string Audience { get; set; } = "polling-platform-api";
    public int AccessTokenMinutes { get; set; } = 15;
    public int RefreshTokenDays { get; set; } = 30;

    public TimeSpan AccessTokenLifetime => TimeSpan.FromMinutes(AccessTokenMinutes);
    public TimeSpan RefreshTokenLifetime => TimeSpan.FromDays(RefreshTokenDays);
    public byte[] SigningKeyBytes => Encoding.UTF8.GetBytes(SigningKey);
}

/// <summary>Stops the service at start-up when the signing key is missing, weak, or the public development key outside Development.</summary>
internal sealed class AuthOptionsValidator(IHostEnvironment environment) : IValidateOptions<AuthOptions>
{
    // HS256 wants a key at least as long as its 256-bit output.
    private const int MinKeyBytes = 32;

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        if (options.SigningKeyBytes.Length < MinKeyBytes)
        {
            return ValidateOptionsResult.Fail($"Auth:SigningKey must be at least {MinKeyBytes} bytes.");
        }
        if (options.SigningKey == AuthOptions.DevelopmentSigningKey && !environment.IsDevelopment())
        {
            return ValidateOptionsResult.Fail(
                $"Auth:SigningKey is the public development key, and the environment is {environment.EnvironmentName}. Configure a secret key.");
        }
        if (options.AccessTokenMinutes is < 1 or > 1440 || options.RefreshTokenDays is < 1 or > 365)
        {
            return ValidateOptionsResult.Fail("Auth token lifetimes are out of range.");
        }
        return ValidateOptionsResult.Success;
    }
}
