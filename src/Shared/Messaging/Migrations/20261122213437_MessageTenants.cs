using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shared.Messaging.Migrations
{
    /// <inheritdoc />
    internal partial class MessageTenants : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "tenant_id",
                schema: "messaging",
                table: "outbox",
                type: "uuid",
                nullable: true,
                defaultValueSql: "NULLIF(current_setting('app.tenant_id', true), '')::uuid");

            migrationBuilder.AddColumn<Guid>(
                name: "tenant_id",
                schema: "messaging",
                table: "inbox",
                type: "uuid",
                nullable: true,
                defaultValueSql: "NULLIF(current_setting('app.tenant_id', true), '')::uuid");

            migrationBuilder.AddColumn<Guid>(
                name: "tenant_id",
                schema: "messaging",
                table: "dead_letters",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_tenant_id",
                schema: "messaging",
                table: "outbox",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "ix_inbox_tenant_id",
                schema: "messaging",
                table: "inbox",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "ix_dead_letters_tenant_id",
                schema: "messaging",
                table: "dead_letters",
                column: "tenant_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_tenant_id",
                schema: "messaging",
                table: "outbox");

            migrationBuilder.DropIndex(
                name: "ix_inbox_tenant_id",
                schema: "messaging",
                table: "inbox");

            migrationBuilder.DropIndex(
                name: "ix_dead_letters_tenant_id",
                schema: "messaging",
                table: "dead_letters");

            migrationBuilder.DropColumn(
                name: "tenant_id",
                schema: "messaging",
                table: "outbox");

            migrationBuilder.DropColumn(
                name: "tenant_id",
                schema: "messaging",
                table: "inbox");

            migrationBuilder.DropColumn(
                name: "tenant_id",
                schema: "messaging",
                table: "dead_letters");
        }
    }
}
