using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shared.Tenancy.CatalogMigrations
{
    /// <inheritdoc />
    internal partial class Catalog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "catalog");

            migrationBuilder.CreateTable(
                name: "poll_routes",
                schema: "catalog",
                columns: table => new
                {
                    poll_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_poll_routes", x => x.poll_id);
                });

            migrationBuilder.CreateTable(
                name: "shards",
                schema: "catalog",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_shards", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "tenants",
                schema: "catalog",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    slug = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    shard_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tenants", x => x.id);
                    table.ForeignKey(
                        name: "fk_tenants_shards_shard_id",
                        column: x => x.shard_id,
                        principalSchema: "catalog",
                        principalTable: "shards",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_poll_routes_tenant_id",
                schema: "catalog",
                table: "poll_routes",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "ix_tenants_shard_id",
                schema: "catalog",
                table: "tenants",
                column: "shard_id");

            migrationBuilder.CreateIndex(
                name: "ix_tenants_slug",
                schema: "catalog",
                table: "tenants",
                column: "slug",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "poll_routes",
                schema: "catalog");

            migrationBuilder.DropTable(
                name: "tenants",
                schema: "catalog");

            migrationBuilder.DropTable(
                name: "shards",
                schema: "catalog");
        }
    }
}
