using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Votes.Data.Migrations
{
    /// <inheritdoc />
    internal partial class FinalTallies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_votes_poll_id_voter_key",
                schema: "votes",
                table: "votes");

            migrationBuilder.AlterColumn<DateTimeOffset>(
                name: "last_vote_at",
                schema: "votes",
                table: "poll_tallies",
                type: "timestamp with time zone",
                nullable: true,
                oldClrType: typeof(DateTimeOffset),
                oldType: "timestamp with time zone");

            migrationBuilder.AddColumn<bool>(
                name: "final",
                schema: "votes",
                table: "poll_tallies",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "ix_votes_poll_id_voter_key",
                schema: "votes",
                table: "votes",
                columns: new[] { "poll_id", "voter_key" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_votes_poll_id_voter_key",
                schema: "votes",
                table: "votes");

            migrationBuilder.DropColumn(
                name: "final",
                schema: "votes",
                table: "poll_tallies");

            migrationBuilder.AlterColumn<DateTimeOffset>(
                name: "last_vote_at",
                schema: "votes",
                table: "poll_tallies",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)),
                oldClrType: typeof(DateTimeOffset),
                oldType: "timestamp with time zone",
                oldNullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_votes_poll_id_voter_key",
                schema: "votes",
                table: "votes",
                columns: new[] { "poll_id", "voter_key" },
                filter: "voter_key IS NOT NULL");
        }
    }
}
