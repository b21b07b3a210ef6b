using Identity.Contracts;
using Shared.OpenApi;

namespace Identity.Features.Members;

[RequestBody]
internal sealed record AddMemberRequest(string? Email, string? Password, MemberRole? Role);

internal sealed record MemberResponse(Guid UserId, string Email, MemberRole Role, DateTimeOffset CreatedAt);
