namespace Identity.Contracts;

/// <summary>What a tenant member (a person or an API key) may do: admins manage the tenant, editors write polls, viewers read.</summary>
public enum MemberRole
{
    Admin,
    Editor,
    Viewer,
}
