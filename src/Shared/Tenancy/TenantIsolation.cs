using Microsoft.EntityFrameworkCore.Migrations;

namespace Shared.Tenancy;

/// <summary>
/// Row-level security for tenant-owned tables, the defence that holds even when a query forgets its tenant filter:
/// a row is visible and writable only while <c>app.tenant_id</c> (set per connection by the data layer) names its
/// tenant. FORCE applies it to the table's owner too, which is the role the service connects as; with no tenant set,
/// nothing is visible.
/// </summary>
public static class TenantIsolation
{
    public const string CurrentTenant = "NULLIF(current_setting('app.tenant_id', true), '')::uuid";

    public static MigrationBuilder IsolateTenants(this MigrationBuilder migration, string schema, string table, string tenantColumn = "tenant_id")
    {
        migration.Sql($"""
            ALTER TABLE {schema}.{table} ENABLE ROW LEVEL SECURITY;
            ALTER TABLE {schema}.{table} FORCE ROW LEVEL SECURITY;
            CREATE POLICY tenant_isolation ON {schema}.{table}
                USING ({tenantColumn} = {CurrentTenant}) WITH CHECK ({tenantColumn} = {CurrentTenant});
            """);
        return migration;
    }

    public static MigrationBuilder ShareAcrossTenants(this MigrationBuilder migration, string schema, string table)
    {
        migration.Sql($"""
            DROP POLICY tenant_isolation ON {schema}.{table};
            ALTER TABLE {schema}.{table} NO FORCE ROW LEVEL SECURITY;
            ALTER TABLE {schema}.{table} DISABLE ROW LEVEL SECURITY;
            """);
        return migration;
    }
}
