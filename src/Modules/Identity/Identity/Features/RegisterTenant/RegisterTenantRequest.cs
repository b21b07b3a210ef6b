namespace Identity.Features.RegisterTenant;

internal sealed record RegisterTenantRequest(string? Name, string? Slug, string? AdminEmail, string? AdminPassword);

internal sealed record RegisterTenantResponse(Guid TenantId, string Slug);
