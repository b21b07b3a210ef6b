namespace Shared.Problems;

/// <summary>
/// Where the statuses this API answers with, and ASP.NET Core gives no problem <c>type</c> for, are defined: every
/// problem body then says which specification its status comes from (RFC 9457 §3.1.1).
/// </summary>
public static class ProblemTypes
{
    public static string? For(int status) => status switch
    {
        413 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14",
        429 => "https://www.rfc-editor.org/rfc/rfc6585#section-4",
        _ => null,
    };
}
