using Identity.Domain;
using Shared.Validation;

namespace Identity.Features.AddMember;

internal static class AddMemberValidator
{
    public static ValidationErrors Validate(AddMemberRequest request)
    {
        var errors = new ValidationErrors();
        MemberRules.CheckEmail(errors, "email", request.Email);
        MemberRules.CheckPassword(errors, "password", request.Password);
        errors.Require("role", request.Role);
        return errors;
    }
}
