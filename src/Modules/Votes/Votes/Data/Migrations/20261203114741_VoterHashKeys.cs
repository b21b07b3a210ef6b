using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Shared.Tenancy;

#nullable disable

namespace Votes.Data.Migrations
{
    /// <inheritdoc />
    internal partial class VoterHashKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "voter_hash_keys",
                schema: "votes",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    key = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_voter_hash_keys", x => x.tenant_id);
                });
            migrationBuilder.IsolateTenants("votes", "voter_hash_keys");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.ShareAcrossTenants("votes", "voter_hash_keys");
            migrationBuilder.DropTable(
                name: "voter_hash_keys",
                schema: "votes");
        }
    }
}
