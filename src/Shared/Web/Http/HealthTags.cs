namespace Shared.Http;

/// <summary>Tags on health checks: the Host maps each tag to its endpoint; modules add their own checks under them.</summary>
public static class HealthTags
{
    /// <summary>Checked by <c>/health/ready</c>: the instance should take traffic.</summary>
    public const string Ready = "ready";
}
