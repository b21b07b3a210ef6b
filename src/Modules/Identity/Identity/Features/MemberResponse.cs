using Identity.Contracts;

namespace Identity.Features;

/// <summary>A member as the member routes show them.</summary>
internal sealed record MemberResponse(Guid UserId, string Email, MemberRole Role, DateTimeOffset CreatedAt);
