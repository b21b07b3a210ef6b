using Identity.Domain;
using Shared.Validation;

namespace Identity.Features.CreateApiKey;

internal static class CreateApiKeyValidator
{
    public static ValidationErrors Validate(CreateApiKeyRequest request)
    {
        var errors = new ValidationErrors();
        errors.RequireText("name", request.Name, ApiKey.NameMaxLength);
        errors.Require("role", request.Role);
        return errors;
    }
}
