namespace Votes.Features.TallyVotes;

/// <summary>The <c>Tally</c> configuration section.</summary>
internal sealed class TallyOptions
{
    public const string Section = "Tally";

    /// <summary>False stops this instance counting votes (it still stores them); other instances count them instead.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Uncounted votes taken per transaction.</summary>
    public int BatchSize { get; set; } = 2000;

    /// <summary>
    /// How often an instance looks for votes nobody has counted: those another instance stored, or one that died
    /// stored. Votes this instance stores are counted at once.
    /// </summary>
    public int PollMilliseconds { get; set; } = 1000;

    /// <summary>Readiness reports Degraded above this many uncounted votes on a shard.</summary>
    public int BacklogLimit { get; set; } = 100_000;
}
