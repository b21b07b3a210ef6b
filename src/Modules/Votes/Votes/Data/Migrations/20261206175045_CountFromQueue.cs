using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Votes.Data.Migrations
{
    /// <inheritdoc />
    internal partial class CountFromQueue : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "uncounted_votes",
                schema: "votes",
                columns: table => new
                {
                    vote_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    poll_id = table.Column<Guid>(type: "uuid", nullable: false),
                    option_ids = table.Column<Guid[]>(type: "uuid[]", nullable: false),
                    cast_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_uncounted_votes", x => x.vote_id);
                });

            // Votes stored before this version announced themselves with a VoteCast message each. Those not counted
            // yet (not delivered, or dead letters, and not in the tally handler's inbox) join the queue; then every
            // VoteCast goes, as nothing handles them any more. Instances of the previous version must be stopped
            // before this migration runs: a VoteCast they write afterwards would not be counted until its poll closes
            // and is recounted (FinalTally).
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    IF to_regclass('messaging.outbox') IS NOT NULL THEN
                        INSERT INTO votes.uncounted_votes (vote_id, tenant_id, poll_id, option_ids, cast_at)
                        SELECT (m.payload->>'voteId')::uuid, (m.payload->>'tenantId')::uuid, (m.payload->>'pollId')::uuid,
                               ARRAY(SELECT jsonb_array_elements_text(m.payload->'optionIds')::uuid), (m.payload->>'castAt')::timestamptz
                        FROM (SELECT id, payload FROM messaging.outbox WHERE message_type = 'Votes.Contracts.VoteCast' AND dispatched_at IS NULL
                              UNION ALL
                              SELECT id, payload FROM messaging.dead_letters WHERE message_type = 'Votes.Contracts.VoteCast') AS m
                        WHERE NOT EXISTS (SELECT 1 FROM messaging.inbox i
                                          WHERE i.message_id = m.id AND i.handler = 'Votes.Features.TallyVotes.TallyVotesHandler')
                        ON CONFLICT (vote_id) DO NOTHING;
                        DELETE FROM messaging.outbox WHERE message_type = 'Votes.Contracts.VoteCast';
                        DELETE FROM messaging.dead_letters WHERE message_type = 'Votes.Contracts.VoteCast';
                        DELETE FROM messaging.inbox WHERE handler = 'Votes.Features.TallyVotes.TallyVotesHandler';
                    END IF;
                END
                $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "uncounted_votes",
                schema: "votes");
        }
    }
}
