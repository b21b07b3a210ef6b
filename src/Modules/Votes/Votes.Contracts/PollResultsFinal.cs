namespace Votes.Contracts;

/// <summary>
/// A poll's counts became final: it takes no more votes and <paramref name="Results"/> holds every vote it took.
/// Published once per poll, in the transaction that made the counts final.
/// </summary>
public sealed record PollResultsFinal(Guid TenantId, string Question, PollResultsView Results, DateTimeOffset FinalAt);
