using Shared.OpenApi;

namespace Identity.Features.IssueToken;

[RequestBody]
internal sealed record IssueTokenRequest(string? Tenant, string? Email, string? Password);
