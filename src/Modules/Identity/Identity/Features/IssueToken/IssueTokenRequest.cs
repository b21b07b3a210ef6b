namespace Identity.Features.IssueToken;

internal sealed record IssueTokenRequest(string? Tenant, string? Email, string? Password);
