using Identity.Contracts;
using Shared.OpenApi;

namespace Identity.Features.AddMember;

[RequestBody]
internal sealed record AddMemberRequest(string? Email, string? Password, MemberRole? Role);
