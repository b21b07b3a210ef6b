namespace Polls.Features.CloseOnSchedule;

/// <summary>The <c>ScheduledCloses</c> configuration section.</summary>
internal sealed class ScheduledCloseOptions
{
    public const string Section = "ScheduledCloses";

    /// <summary>How often each instance looks on each shard for closes coming up.</summary>
    public TimeSpan LookEvery { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How far ahead it looks: more than <see cref="LookEvery"/>, so a close is timed before it is due.</summary>
    public TimeSpan Horizon { get; set; } = TimeSpan.FromSeconds(15);
}
