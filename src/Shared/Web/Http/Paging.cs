using System.Buffers.Text;
using Shared.Validation;

namespace Shared.Http;

/// <summary>One page of a keyset-paginated list.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>
/// Keyset pagination over time-ordered (UUIDv7) ids, newest first: the cursor is the last id seen,
/// so a page costs one index range scan however deep the client goes.
/// </summary>
public sealed record PageRequest(int Limit, Guid? After)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public static PageRequest? Parse(int? limit, string? cursor, ValidationErrors errors)
    {
        var size = limit ?? DefaultLimit;
        if (size is < 1 or > MaxLimit)
        {
            errors.Add("limit", $"Must be between 1 and {MaxLimit}.");
        }
        Guid? after = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (TryDecode(cursor, out var id))
            {
                after = id;
            }
            else
            {
                errors.Add("cursor", "Is not a cursor this API issued.");
            }
        }
        return errors.Any ? null : new PageRequest(size, after);
    }

    /// <summary>The page from up to <c>Limit + 1</c> rows, newest first: the extra row only says that another page exists.</summary>
    public Page<TView> ToPage<T, TView>(IReadOnlyList<T> rows, Func<T, Guid> idOf, Func<T, TView> view)
    {
        var items = rows.Take(Limit).ToList();
        return new Page<TView>(items.Select(view).ToList(), rows.Count > Limit ? Encode(idOf(items[^1])) : null);
    }

    private static string Encode(Guid id) => Base64Url.EncodeToString(id.ToByteArray(bigEndian: true));

    private static bool TryDecode(string cursor, out Guid id)
    {
        id = default;
        Span<byte> bytes = stackalloc byte[16];
        if (cursor.Length != 22 || !Base64Url.TryDecodeFromChars(cursor, bytes, out var written) || written != 16)
        {
            return false;
        }
        id = new Guid(bytes, bigEndian: true);
        return true;
    }
}
