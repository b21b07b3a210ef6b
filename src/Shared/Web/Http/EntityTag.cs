using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Shared.Json;

namespace Shared.Http;

/// <summary>Strong entity tags and the If-None-Match / If-Match comparisons of RFC 9110.</summary>
public static class EntityTag
{
    /// <summary>A tag that changes exactly when the representation's bytes change.</summary>
    public static string ForContent(ReadOnlySpan<byte> content)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(content, hash);
        return $"\"{Convert.ToHexStringLower(hash[..12])}\"";
    }

    /// <summary>The tag <see cref="TaggedJson"/> gives the same value, for checking If-Match before a change.</summary>
    public static string ForJson<T>(T value) => ForContent(JsonSerializer.SerializeToUtf8Bytes(value, ApiJson.Options));

    /// <summary>True when the client's If-None-Match already names <paramref name="tag"/> (weak comparison).</summary>
    public static bool IsNotModified(HttpRequest request, string tag) =>
        ListContains(request.Headers.IfNoneMatch.ToString(), tag, weak: true);

    /// <summary>True when If-Match is absent or names the current tag; false means 412.</summary>
    public static bool IfMatchHolds(HttpRequest request, string tag)
    {
        var header = request.Headers.IfMatch.ToString();
        return header.Length == 0 || ListContains(header, tag, weak: false);
    }

    private static bool ListContains(string header, string tag, bool weak)
    {
        if (header.Length == 0)
        {
            return false;
        }
        foreach (var raw in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (raw == "*")
            {
                return true;
            }
            var isWeak = raw.StartsWith("W/", StringComparison.Ordinal);
            if (isWeak && !weak)
            {
                continue;
            }
            if ((isWeak ? raw[2..] : raw) == tag)
            {
                return true;
            }
        }
        return false;
    }
}
