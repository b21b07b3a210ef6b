using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shared.Messaging.Migrations
{
    /// <inheritdoc />
    internal partial class NotifyAfterCommit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A NOTIFY inside the data transaction serialises every commit on PostgreSQL's notification lock
            // (measured: about 540 votes/s). The relays are now woken after commit, outside it.
            migrationBuilder.Sql("DROP TRIGGER outbox_inserted ON messaging.outbox; DROP FUNCTION messaging.notify_outbox();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION messaging.notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('outbox', '');
                    RETURN NULL;
                END $$;
                CREATE TRIGGER outbox_inserted AFTER INSERT ON messaging.outbox
                    FOR EACH STATEMENT EXECUTE FUNCTION messaging.notify_outbox();
                """);
        }
    }
}
