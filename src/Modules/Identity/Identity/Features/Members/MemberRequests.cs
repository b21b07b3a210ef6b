using Identity.Contracts;

namespace Identity.Features.Members;

internal sealed record AddMemberRequest(string? Email, string? Password, MemberRole? Role);

internal sealed record MemberResponse(Guid UserId, string Email, MemberRole Role, DateTimeOffset CreatedAt);
