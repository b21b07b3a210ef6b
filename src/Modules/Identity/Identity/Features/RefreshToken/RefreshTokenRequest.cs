namespace Identity.Features.RefreshToken;

internal sealed record RefreshTokenRequest(string? RefreshToken);
