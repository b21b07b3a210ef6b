using Microsoft.EntityFrameworkCore.Migrations;
using Shared.Tenancy;

#nullable disable

namespace Identity.Data.Migrations
{
    /// <inheritdoc />
    internal partial class TenantIsolation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.IsolateTenants("identity", "tenants", "id");
            migrationBuilder.IsolateTenants("identity", "members");
            migrationBuilder.IsolateTenants("identity", "refresh_tokens");
            migrationBuilder.IsolateTenants("identity", "api_keys");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.ShareAcrossTenants("identity", "tenants");
            migrationBuilder.ShareAcrossTenants("identity", "members");
            migrationBuilder.ShareAcrossTenants("identity", "refresh_tokens");
            migrationBuilder.ShareAcrossTenants("identity", "api_keys");
        }
    }
}
