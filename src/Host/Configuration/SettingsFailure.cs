using Microsoft.Extensions.Options;
using Shared.Configuration;

namespace Host.Configuration;

/// <summary>
/// Tells a start-up that failed on a setting from any other failure. A missing or malformed setting is an operator's
/// mistake: it deserves one line naming the key and a non-zero exit, not a stack trace.
/// </summary>
internal static class SettingsFailure
{
    /// <summary>The exit code of a start-up stopped by a setting (EX_CONFIG in sysexits.h).</summary>
    public const int ExitCode = 78;

    /// <summary>The line to stop with, or null when the failure is not about a setting.</summary>
    public static string? Describe(Exception failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            var line = e switch
            {
                InvalidSettingException setting => setting.Message,
                OptionsValidationException validation => string.Join(" ", validation.Failures),
                // The configuration binder's own words name the key: "Failed to convert configuration value at 'Key' to type ...".
                InvalidOperationException binding when binding.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => binding.Message,
                _ => null,
            };
            if (line is not null)
            {
                return $"Configuration error: {line}";
            }
        }
        return null;
    }
}
