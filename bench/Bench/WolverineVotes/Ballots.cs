using Microsoft.EntityFrameworkCore;

namespace Bench.WolverineVotes;

/// <summary>A vote as the product stores it, narrowed to what the tally needs.</summary>
public sealed class Ballot
{
    public Guid Id { get; set; }
    public Guid PollId { get; set; }
    public int Option { get; set; }
    public DateTimeOffset CastAt { get; set; }
}

/// <summary>The scenario's own schema on the benchmark's shard: ballots and their counts.</summary>
public sealed class Ballots(DbContextOptions<Ballots> options) : DbContext(options)
{
    public const string Schema = "bench_wolverine";

    public DbSet<Ballot> Cast => Set<Ballot>();

    public static string CreateSql => $"""
        DROP SCHEMA IF EXISTS {Schema} CASCADE;
        CREATE SCHEMA {Schema};
        CREATE TABLE {Schema}.ballots (id uuid PRIMARY KEY, poll_id uuid NOT NULL, option integer NOT NULL, cast_at timestamptz NOT NULL);
        CREATE TABLE {Schema}.counts (poll_id uuid NOT NULL, option integer NOT NULL, votes bigint NOT NULL, PRIMARY KEY (poll_id, option));
        """;

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.Entity<Ballot>(ballot =>
        {
            ballot.ToTable("ballots", Schema);
            ballot.Property(b => b.Id).HasColumnName("id");
            ballot.Property(b => b.PollId).HasColumnName("poll_id");
            ballot.Property(b => b.Option).HasColumnName("option");
            ballot.Property(b => b.CastAt).HasColumnName("cast_at");
        });
}
