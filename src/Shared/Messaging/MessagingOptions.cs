namespace Shared.Messaging;

/// <summary>The <c>Messaging</c> configuration section.</summary>
public sealed class MessagingOptions
{
    public const string Section = "Messaging";

    /// <summary>How long a handled message is kept, so that a repeat of it is recognised, before it is deleted.</summary>
    public int KeepHandledSeconds { get; set; } = 60;

    /// <summary>How often handled messages past their keeping are deleted.</summary>
    public int HousekeepingIntervalSeconds { get; set; } = 30;

    /// <summary>How often an instance tells the others it lives; four missed and it is taken for dead.</summary>
    public int HeartbeatMilliseconds { get; set; } = 1000;

    /// <summary>How often each shard is looked at for messages to recover (a dead instance's) or due again (retries).</summary>
    public int RecoveryIntervalMilliseconds { get; set; } = 1000;

    /// <summary>Readiness reports Degraded above this many messages waiting on a shard.</summary>
    public int BacklogLimit { get; set; } = 100_000;
}
