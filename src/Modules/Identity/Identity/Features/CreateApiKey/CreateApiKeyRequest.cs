using Identity.Contracts;
using Shared.OpenApi;

namespace Identity.Features.CreateApiKey;

[RequestBody]
internal sealed record CreateApiKeyRequest(string? Name, MemberRole? Role);

/// <summary>The only response that ever contains the key itself.</summary>
internal sealed record CreatedApiKeyResponse(Guid Id, string Key, string Name, MemberRole Role, DateTimeOffset CreatedAt);
