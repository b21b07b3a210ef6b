namespace Host.Http;

/// <summary>The <c>Http</c> configuration section.</summary>
internal sealed class HttpOptions
{
    public const string Section = "Http";

    /// <summary>Bodies over this size are refused with 413 before they are read.</summary>
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;
}
