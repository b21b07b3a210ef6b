using Microsoft.EntityFrameworkCore.Migrations;
using Shared.Tenancy;

#nullable disable

namespace Votes.Data.Migrations
{
    /// <inheritdoc />
    internal partial class TenantIsolation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.IsolateTenants("votes", "poll_replicas");
            migrationBuilder.IsolateTenants("votes", "votes");
            migrationBuilder.IsolateTenants("votes", "poll_tallies");
            migrationBuilder.IsolateTenants("votes", "option_tallies");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.ShareAcrossTenants("votes", "poll_replicas");
            migrationBuilder.ShareAcrossTenants("votes", "votes");
            migrationBuilder.ShareAcrossTenants("votes", "poll_tallies");
            migrationBuilder.ShareAcrossTenants("votes", "option_tallies");
        }
    }
}
