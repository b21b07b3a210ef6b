namespace Shared.RateLimiting;

/// <summary>
/// The rate-limit policies routes name with <c>RequireRateLimiting</c>, and the configuration rules they use
/// (<c>RateLimits:Policies:&lt;Name&gt;</c>).
/// </summary>
public static class RateLimitPolicies
{
    /// <summary>Anonymous reads of public polls and results, per client address.</summary>
    public const string Public = "Public";

    /// <summary>Votes, per client address: its own budget, so reading a poll never uses up the right to vote on it.</summary>
    public const string Votes = "Votes";

    /// <summary>Sign-up, sign-in and token refresh, per client address: kept small against password guessing.</summary>
    public const string Credentials = "Credentials";

    /// <summary>Member routes, per caller (user or API key) and, with the <see cref="Tenants"/> rule, per tenant.</summary>
    public const string Members = "Members";

    /// <summary>Not a policy of its own: the rule all of one tenant's callers share on member routes.</summary>
    public const string Tenants = "Tenants";

    internal static readonly string[] Rules = [Public, Votes, Credentials, Members, Tenants];
}
