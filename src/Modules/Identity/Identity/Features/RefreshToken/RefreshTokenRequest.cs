using Shared.OpenApi;

namespace Identity.Features.RefreshToken;

[RequestBody]
internal sealed record RefreshTokenRequest(string? RefreshToken);
