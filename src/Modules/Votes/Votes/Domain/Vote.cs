namespace Votes.Domain;

/// <summary>One acknowledged ballot. Its dedupe key, when the poll has one, is unique per poll: that is the duplicate check.</summary>
internal sealed class Vote
{
    public const int VoterKeyMaxLength = 128;

    public Guid Id { get; private set; }
    public Guid TenantId { get; private set; }
    public Guid PollId { get; private set; }
    public Guid[] OptionIds { get; private set; } = [];
    public string? VoterKey { get; private set; }
    public string? DedupeKey { get; private set; }
    public DateTimeOffset CastAt { get; private set; }

    private Vote()
    {
    }

    public static Vote Cast(Guid tenantId, Guid pollId, IReadOnlyList<Guid> optionIds, string? voterKey, string? dedupeKey, DateTimeOffset now) =>
        new()
        {
            Id = Guid.CreateVersion7(now),
            TenantId = tenantId,
            PollId = pollId,
            OptionIds = [.. optionIds],
            VoterKey = voterKey,
            DedupeKey = dedupeKey,
            CastAt = now,
        };
}
