using Shared.Validation;

namespace Identity.Domain;

/// <summary>The checks on an email and a password, shared by tenant sign-up and adding a member.</summary>
internal static class MemberRules
{
    public static void CheckEmail(ValidationErrors errors, string field, string? email)
    {
        if (errors.RequireText(field, email, Member.EmailMaxLength) && !Member.LooksLikeEmail(email!.Trim()))
        {
            errors.Add(field, "Is not an email address.");
        }
    }

    public static void CheckPassword(ValidationErrors errors, string field, string? password) =>
        errors.RequireText(field, password, Member.PasswordMaxLength, Member.PasswordMinLength);
}
