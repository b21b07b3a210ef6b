namespace Identity.Contracts;

/// <summary>Authorization policies that Identity registers and other modules put on their endpoints.</summary>
public static class AccessPolicies
{
    /// <summary>Any member of the tenant: admin, editor or viewer.</summary>
    public const string Member = "member";

    /// <summary>Admins and editors.</summary>
    public const string Editor = "editor";

    /// <summary>Admins only.</summary>
    public const string Admin = "admin";
}
