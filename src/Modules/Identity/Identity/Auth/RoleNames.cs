using Identity.Contracts;

namespace Identity.Auth;

/// <summary>The spelling of roles in claims and JSON: lower case, as API.md writes them.</summary>
internal static class RoleNames
{
    public static string Of(MemberRole role) => role switch
    {
        MemberRole.Admin => "admin",
        MemberRole.Editor => "editor",
        _ => "viewer",
    };
}
