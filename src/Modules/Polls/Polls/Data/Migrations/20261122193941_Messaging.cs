using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Polls.Data.Migrations
{
    /// <inheritdoc />
    internal partial class Messaging : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
