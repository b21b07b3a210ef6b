using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shared.Tenancy.CatalogMigrations
{
    /// <summary>
    /// The catalog's poll routes become public routes: the catalog routes any id a public route names, not polls in
    /// particular. Renamed in place (EF would drop and create the table, losing every route).
    /// </summary>
    public partial class PublicRoutes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameTable(name: "poll_routes", schema: "catalog", newName: "public_routes", newSchema: "catalog");
            migrationBuilder.RenameColumn(name: "poll_id", schema: "catalog", table: "public_routes", newName: "public_id");
            migrationBuilder.Sql("ALTER TABLE catalog.public_routes RENAME CONSTRAINT pk_poll_routes TO pk_public_routes");
            migrationBuilder.RenameIndex(name: "ix_poll_routes_tenant_id", schema: "catalog", table: "public_routes", newName: "ix_public_routes_tenant_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameIndex(name: "ix_public_routes_tenant_id", schema: "catalog", table: "public_routes", newName: "ix_poll_routes_tenant_id");
            migrationBuilder.Sql("ALTER TABLE catalog.public_routes RENAME CONSTRAINT pk_public_routes TO pk_poll_routes");
            migrationBuilder.RenameColumn(name: "public_id", schema: "catalog", table: "public_routes", newName: "poll_id");
            migrationBuilder.RenameTable(name: "public_routes", schema: "catalog", newName: "poll_routes", newSchema: "catalog");
        }
    }
}
