using System.Text.RegularExpressions;
using Npgsql;
using Shared.Data;

namespace Shared.Tenancy;

/// <summary>
/// A table holding tenants' rows, and the column naming each row's tenant. <paramref name="Leased"/>: it has a
/// <c>locked_until</c> column, the convention for a lease a worker on this shard holds on a row while it works on it.
/// </summary>
internal sealed record TenantTable(string Name, string TenantColumn, bool Leased = false);

/// <summary>
/// Finds every table on a shard that holds tenant rows, with no list to keep up to date: tables under the
/// <c>tenant_isolation</c> policy (the column is read from the policy) and tables with a <c>tenant_id</c> column
/// (the tally's queue). Returned parents first, as their foreign keys require for inserting.
/// </summary>
internal static partial class TenantTables
{
    public static async Task<List<TenantTable>> OnAsync(NpgsqlDataSource shard, CancellationToken cancellationToken)
    {
        var policies = await shard.QueryAsync("""
            SELECT format('%I.%I', schemaname, tablename), qual FROM pg_policies WHERE policyname = 'tenant_isolation'
            """, r => (Table: r.GetString(0), Qual: r.GetString(1)), cancellationToken);
        var columns = await shard.QueryAsync("""
            SELECT format('%I.%I', table_schema, table_name) FROM information_schema.columns
            WHERE column_name = 'tenant_id' AND table_schema NOT IN ('pg_catalog', 'information_schema', 'public', 'tenancy')
            """, r => r.GetString(0), cancellationToken);
        var tables = policies.ToDictionary(p => p.Table, p => PolicyColumn().Match(p.Qual) is { Success: true } m
            ? m.Groups[1].Value
            : throw new InvalidOperationException($"Cannot read the tenant column of {p.Table}'s policy: {p.Qual}"));
        foreach (var table in columns)
        {
            tables.TryAdd(table, "tenant_id");
        }
        var leased = (await shard.QueryAsync("""
            SELECT format('%I.%I', table_schema, table_name) FROM information_schema.columns WHERE column_name = 'locked_until'
            """, r => r.GetString(0), cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var references = await shard.QueryAsync("""
            SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint WHERE contype = 'f'
            """, r => (Child: r.GetString(0), Parent: r.GetString(1)), cancellationToken);
        return ParentsFirst(tables, references).Select(t => t with { Leased = leased.Contains(t.Name) }).ToList();
    }

    private static List<TenantTable> ParentsFirst(Dictionary<string, string> tables, List<(string Child, string Parent)> references)
    {
        var ordered = new List<TenantTable>();
        var placed = new HashSet<string>();
        while (ordered.Count < tables.Count)
        {
            var ready = tables.Keys.Where(t => !placed.Contains(t)
                    && references.All(r => r.Child != t || r.Parent == t || placed.Contains(r.Parent) || !tables.ContainsKey(r.Parent)))
                .Order(StringComparer.Ordinal).ToList();
            if (ready.Count == 0)
            {
                throw new InvalidOperationException("Tenant tables reference each other in a cycle.");
            }
            ordered.AddRange(ready.Select(t => new TenantTable(t, tables[t])));
            placed.UnionWith(ready);
        }
        return ordered;
    }

    // The policy's qual as PostgreSQL prints it: "(tenant_id = NULLIF(current_setting(...".
    [GeneratedRegex(@"^\(+(\w+) = ")]
    private static partial Regex PolicyColumn();
}
