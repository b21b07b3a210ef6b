using Identity.Domain;
using Shared.Validation;

namespace Identity.Features.IssueToken;

internal static class IssueTokenValidator
{
    public static ValidationErrors Validate(IssueTokenRequest request)
    {
        var errors = new ValidationErrors();
        errors.RequireText("tenant", request.Tenant, 40);
        errors.RequireText("email", request.Email, Member.EmailMaxLength);
        errors.RequireText("password", request.Password, Member.PasswordMaxLength);
        return errors;
    }
}
