using Microsoft.EntityFrameworkCore.Migrations;
using Shared.Tenancy;

#nullable disable

namespace Polls.Data.Migrations
{
    /// <inheritdoc />
    internal partial class TenantIsolation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.IsolateTenants("polls", "polls");
            migrationBuilder.IsolateTenants("polls", "poll_options");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.ShareAcrossTenants("polls", "polls");
            migrationBuilder.ShareAcrossTenants("polls", "poll_options");
        }
    }
}
