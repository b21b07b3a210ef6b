using System.Text.RegularExpressions;

namespace Identity.Domain;

/// <summary>An organisation that owns polls. Its slug is the public name members log in with.</summary>
internal sealed partial class Tenant
{
    public const int NameMaxLength = 200;

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public string Slug { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    private Tenant()
    {
    }

    public static Tenant Register(string name, string slug, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(now), Name = name.Trim(), Slug = slug, CreatedAt = now };

    public static bool IsValidSlug(string slug) => SlugPattern().IsMatch(slug);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{2,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex SlugPattern();
}
