using Microsoft.EntityFrameworkCore;
using Shared.Http;

namespace Shared.Data;

/// <summary>An entity whose id is a UUIDv7, so ordering by id is ordering by creation time.</summary>
public interface ITimeOrdered
{
    Guid Id { get; }
}

public static class KeysetPaging
{
    /// <summary>One page of <paramref name="query"/>, newest first, starting after the page's cursor.</summary>
    public static async Task<Page<TView>> ToPageAsync<T, TView>(
        this IQueryable<T> query, PageRequest page, Func<T, TView> view, CancellationToken cancellationToken)
        where T : class, ITimeOrdered
    {
        if (page.After is { } after)
        {
            query = query.Where(e => e.Id.CompareTo(after) < 0);
        }
        var rows = await query.OrderByDescending(e => e.Id).Take(page.Limit + 1).ToListAsync(cancellationToken);
        return page.ToPage(rows, e => e.Id, view);
    }
}
