using Identity.Domain;
using Shared.Validation;

namespace Identity.Features.RegisterTenant;

internal static class RegisterTenantValidator
{
    public static ValidationErrors Validate(RegisterTenantRequest request)
    {
        var errors = new ValidationErrors();
        errors.RequireText("name", request.Name, Tenant.NameMaxLength);
        if (errors.RequireText("slug", request.Slug, 40) && !Tenant.IsValidSlug(request.Slug!))
        {
            errors.Add("slug", "Must be 3 to 40 lower-case letters, digits or hyphens, starting with a letter or digit.");
        }
        MemberRules.CheckEmail(errors, "adminEmail", request.AdminEmail);
        MemberRules.CheckPassword(errors, "adminPassword", request.AdminPassword);
        return errors;
    }
}
