using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Polls.Data.Migrations
{
    /// <summary>
    /// The module's model no longer maps the retired bus's outbox table (it was excluded from this module's migrations,
    /// so nothing in the database changes); recorded so that the model and its snapshot agree.
    /// </summary>
    internal partial class RetireOwnOutbox : Migration
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
