namespace Polls.Data;

/// <summary>
/// An open poll that closes itself at <see cref="ClosesAt"/>, kept beside the polls without row-level security (it holds
/// ids and a time, nothing a tenant wrote), so that an instance finds the closes due on a shard in one query rather than
/// acting for each tenant in turn. Written when the poll opens, removed when the close is stored.
/// </summary>
internal sealed record ScheduledClose(Guid PollId, Guid TenantId, DateTimeOffset ClosesAt);
