using Shared.Validation;

namespace Identity.Features.RefreshToken;

internal static class RefreshTokenValidator
{
    private const int MaxTokenLength = 128;

    public static ValidationErrors Validate(RefreshTokenRequest request)
    {
        var errors = new ValidationErrors();
        errors.RequireText("refreshToken", request.RefreshToken, MaxTokenLength);
        return errors;
    }
}
