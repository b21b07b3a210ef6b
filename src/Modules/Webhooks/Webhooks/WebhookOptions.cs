namespace Webhooks;

/// <summary>The <c>Webhooks</c> configuration section.</summary>
internal sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Plain-http URLs are refused unless this is on (a receiver inside a trusted network).</summary>
    public bool AllowHttp { get; set; }

    /// <summary>Loopback addresses are refused unless this is on: for tests and local runs, never in production.</summary>
    public bool AllowLoopback { get; set; }

    /// <summary>How long one request may take, connection included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The wait before each retry; a delivery is attempted once more than there are delays.</summary>
    public List<TimeSpan> RetryDelays { get; set; } = [];

    /// <summary>An endpoint is disabled after this many failed attempts in a row, across its deliveries.</summary>
    public int DisableAfterFailures { get; set; } = 15;

    /// <summary>How long the previous secret still signs after a rotation.</summary>
    public TimeSpan SecretRotationGrace { get; set; } = TimeSpan.FromHours(24);

    public int MaxEndpointsPerTenant { get; set; } = 20;

    /// <summary>Requests in flight at once per shard on each instance.</summary>
    public int Concurrency { get; set; } = 16;

    /// <summary>How often each instance looks for due deliveries on each shard.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The schedule: about 1 min, 5 min, 30 min, 2 h and 12 h. Used when configuration names none.</summary>
    public static readonly TimeSpan[] DefaultRetryDelays =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(12)];

    public IReadOnlyList<TimeSpan> Retries => RetryDelays.Count > 0 ? RetryDelays : DefaultRetryDelays;
}
