namespace Shared.Configuration;

/// <summary>A required setting is missing or cannot be read. The Host stops with one line that names the key.</summary>
public sealed class InvalidSettingException(string key, string problem) : Exception($"{key} {problem}")
{
    public string Key => key;
}
