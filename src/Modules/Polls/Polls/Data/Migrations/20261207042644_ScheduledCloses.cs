using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Polls.Data.Migrations
{
    /// <inheritdoc />
    internal partial class ScheduledCloses : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "scheduled_closes",
                schema: "polls",
                columns: table => new
                {
                    poll_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    closes_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_scheduled_closes", x => x.poll_id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_scheduled_closes_closes_at",
                schema: "polls",
                table: "scheduled_closes",
                column: "closes_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "scheduled_closes",
                schema: "polls");
        }
    }
}
