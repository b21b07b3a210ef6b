namespace Shared.Messaging;

/// <summary>The <c>Messaging</c> configuration section.</summary>
public sealed class MessagingOptions
{
    public const string Section = "Messaging";

    /// <summary>False stops this instance delivering (it still writes the outbox); other instances deliver instead.</summary>
    public bool RelayEnabled { get; set; } = true;

    /// <summary>Messages claimed per round trip.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>How long a claim lasts. A relay that dies holding messages delays them by at most this long.</summary>
    public int LeaseSeconds { get; set; } = 30;

    /// <summary>The longest a relay sleeps without a notification; NOTIFY normally wakes it at once.</summary>
    public int PollIntervalMilliseconds { get; set; } = 1000;

    public int RetainDispatchedSeconds { get; set; } = 60;
    public int InboxRetentionHours { get; set; } = 168;
    public int HousekeepingIntervalSeconds { get; set; } = 30;

    /// <summary>How often an instance that does not own a shard's relay checks whether its owner has gone.</summary>
    public int OwnershipPollMilliseconds { get; set; } = 2000;

    /// <summary>Readiness reports Degraded above this many pending messages.</summary>
    public int BacklogLimit { get; set; } = 100_000;
}
