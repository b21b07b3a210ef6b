using Shared.OpenApi;

namespace Identity.Features.RegisterTenant;

[RequestBody]
internal sealed record RegisterTenantRequest(string? Name, string? Slug, string? AdminEmail, string? AdminPassword);

internal sealed record RegisterTenantResponse(Guid TenantId, string Slug);
