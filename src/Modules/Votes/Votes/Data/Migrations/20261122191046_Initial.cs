using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Votes.Data.Migrations
{
    /// <inheritdoc />
    internal partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "votes");

            migrationBuilder.CreateTable(
                name: "option_tallies",
                schema: "votes",
                columns: table => new
                {
                    poll_id = table.Column<Guid>(type: "uuid", nullable: false),
                    option_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    votes = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_option_tallies", x => new { x.poll_id, x.option_id });
                });

            migrationBuilder.CreateTable(
                name: "poll_tallies",
                schema: "votes",
                columns: table => new
                {
                    poll_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    total_votes = table.Column<long>(type: "bigint", nullable: false),
                    last_vote_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_poll_tallies", x => x.poll_id);
                });

            migrationBuilder.CreateTable(
                name: "votes",
                schema: "votes",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    poll_id = table.Column<Guid>(type: "uuid", nullable: false),
                    option_ids = table.Column<Guid[]>(type: "uuid[]", nullable: false),
                    voter_key = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    dedupe_key = table.Column<string>(type: "character varying(144)", maxLength: 144, nullable: true),
                    cast_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_votes", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_votes_poll_id_voter_key",
                schema: "votes",
                table: "votes",
                columns: new[] { "poll_id", "voter_key" },
                filter: "voter_key IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ux_votes_poll_id_dedupe_key",
                schema: "votes",
                table: "votes",
                columns: new[] { "poll_id", "dedupe_key" },
                unique: true,
                filter: "dedupe_key IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "option_tallies",
                schema: "votes");

            migrationBuilder.DropTable(
                name: "poll_tallies",
                schema: "votes");

            migrationBuilder.DropTable(
                name: "votes",
                schema: "votes");
        }
    }
}
