using System.Text.RegularExpressions;
using Npgsql;

namespace IntegrationTests.Platform;

public sealed class MigrationTests
{
    [Fact]
    public async Task Three_processes_migrating_the_catalog_and_every_shard_at_once_apply_each_migration_once_and_build_wolverines_tables()
    {
        var deployment = await Deployment.CreateAsync();
        var runs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => HostProcess.MigrateAsync(deployment)));
        Assert.All(runs, run => Assert.True(run.ExitCode == 0, run.Output));

        await AssertEachAppliedOnceAsync(deployment.AdminCatalog, "catalog", "platform");
        foreach (var shard in deployment.ShardIds)
        {
            await AssertEachAppliedOnceAsync(deployment.AdminShard(shard), "tenancy", "identity", "polls", "votes", "webhooks");
        }
        // Exactly one of the three found work to do; the others found it done. Each run reports the catalog's 2
        // schemas and each shard's 5. Outside Development the log is compact JSON: {..., "Applied":N}.
        var applying = runs.Count(run => Regex.IsMatch(run.Output, "\"Applied\":[1-9]"));
        Assert.All(runs, run => Assert.Equal(2 + 5 * deployment.ShardIds.Count, Regex.Matches(run.Output, "\"Applied\":").Count));
        Assert.Equal(1, applying);
        // Wolverine's tables too: its node registry on the catalog, its inbox, outbox and dead letters on every shard.
        Assert.Equal(1, await Database.ScalarAsync(deployment.AdminCatalog,
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'wolverine' AND table_name = 'wolverine_nodes'"));
        foreach (var shard in deployment.ShardIds)
        {
            Assert.Equal(3, await Database.ScalarAsync(deployment.AdminShard(shard),
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'wolverine' AND table_name IN " +
                "('wolverine_incoming_envelopes', 'wolverine_outgoing_envelopes', 'wolverine_dead_letters')"));
        }
    }

    [Fact]
    public async Task Upgrading_to_the_tally_queue_queues_every_VoteCast_not_yet_counted_and_drops_the_rest()
    {
        var deployment = await Deployment.CreateAsync();
        var first = await HostProcess.MigrateAsync(deployment);
        Assert.True(first.ExitCode == 0, first.Output);
        var shard = deployment.AdminShard(deployment.ShardIds.First());
        var (tenant, poll, option) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var (pending, counted, dead, delivered) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        // The shard as the previous version left it: no queue, and VoteCast messages in every state the relay knew,
        // in the tables of the bus it had (the columns the upgrade reads and these rows fill).
        await using (var connection = new NpgsqlConnection(shard))
        {
            await connection.OpenAsync();
            await using var before = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    new("DROP TABLE votes.uncounted_votes"),
                    new("DELETE FROM votes.__migrations WHERE migration_id LIKE '%_CountFromQueue'"),
                    // The app's role made them, as it makes every schema it migrates.
                    new($"SET ROLE {PostgresServer.AppRole}"),
                    new("CREATE SCHEMA messaging"),
                    new("""
                        CREATE TABLE messaging.outbox (id uuid PRIMARY KEY, tenant_id uuid, message_type text NOT NULL, payload jsonb NOT NULL,
                            created_at timestamptz NOT NULL, due_at timestamptz NOT NULL, attempts integer NOT NULL, dispatched_at timestamptz)
                        """),
                    new("CREATE TABLE messaging.inbox (message_id uuid, handler text, processed_at timestamptz NOT NULL, PRIMARY KEY (message_id, handler))"),
                    new("""
                        CREATE TABLE messaging.dead_letters (id uuid PRIMARY KEY, tenant_id uuid, message_type text NOT NULL, payload jsonb NOT NULL,
                            created_at timestamptz NOT NULL, failed_at timestamptz NOT NULL, attempts integer NOT NULL, error text NOT NULL)
                        """),
                    new("""
                        INSERT INTO messaging.outbox (id, tenant_id, message_type, payload, created_at, due_at, attempts, dispatched_at)
                        SELECT m.id, $1, 'Votes.Contracts.VoteCast',
                               jsonb_build_object('voteId', m.id, 'tenantId', $1, 'pollId', $2, 'optionIds', jsonb_build_array($3), 'castAt', now()),
                               now(), now(), m.attempts, m.dispatched_at
                        FROM (VALUES ($4::uuid, 0, NULL::timestamptz), ($5, 1, NULL), ($6, 1, now())) AS m(id, attempts, dispatched_at)
                        """)
                    {
                        Parameters =
                        {
                            new() { Value = tenant }, new() { Value = poll }, new() { Value = option },
                            new() { Value = pending }, new() { Value = counted }, new() { Value = delivered },
                        },
                    },
                    new("INSERT INTO messaging.inbox (message_id, handler, processed_at) VALUES ($1, 'Votes.Features.TallyVotes.TallyVotesHandler', now())")
                    {
                        Parameters = { new() { Value = counted } },
                    },
                    new("""
                        INSERT INTO messaging.dead_letters (id, tenant_id, message_type, payload, created_at, failed_at, attempts, error)
                        VALUES ($3, $1, 'Votes.Contracts.VoteCast',
                                jsonb_build_object('voteId', $3, 'tenantId', $1, 'pollId', $2, 'optionIds', jsonb_build_array($4::uuid), 'castAt', now()),
                                now(), now(), 5, 'failed')
                        """) { Parameters = { new() { Value = tenant }, new() { Value = poll }, new() { Value = dead }, new() { Value = option } } },
                    new("RESET ROLE"),
                },
            };
            await before.ExecuteNonQueryAsync();
        }

        var upgrade = await HostProcess.MigrateAsync(deployment);
        Assert.True(upgrade.ExitCode == 0, upgrade.Output);

        // Queued: the pending one and the dead letter, never counted. Not the one the tally's inbox had, nor the delivered one.
        Assert.Equal(2, await Database.ScalarAsync(shard, "SELECT count(*) FROM votes.uncounted_votes"));
        Assert.Equal(2, await Database.ScalarAsync(shard,
            "SELECT count(*) FROM votes.uncounted_votes WHERE vote_id IN ($1, $2) AND tenant_id = $3 AND poll_id = $4 AND option_ids = ARRAY[$5]",
            pending, dead, tenant, poll, option));
        Assert.Equal(0, await Database.ScalarAsync(shard, "SELECT count(*) FROM messaging.outbox WHERE message_type LIKE '%VoteCast'"));
        Assert.Equal(0, await Database.ScalarAsync(shard, "SELECT count(*) FROM messaging.dead_letters WHERE message_type LIKE '%VoteCast'"));
        Assert.Equal(0, await Database.ScalarAsync(shard, "SELECT count(*) FROM messaging.inbox WHERE handler LIKE '%TallyVotesHandler'"));
    }

    private static async Task AssertEachAppliedOnceAsync(string connectionString, params string[] schemas)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var schema in schemas)
        {
            await using var command = new NpgsqlCommand($"SELECT count(*), count(DISTINCT migration_id) FROM {schema}.__migrations", connection);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.True(reader.GetInt64(0) > 0, $"{schema} has no migrations recorded");
            Assert.Equal(reader.GetInt64(1), reader.GetInt64(0));
        }
    }
}
