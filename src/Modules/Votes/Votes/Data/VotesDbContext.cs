using Microsoft.EntityFrameworkCore;
using Votes.Domain;

namespace Votes.Data;

internal sealed class VotesDbContext(DbContextOptions<VotesDbContext> options) : DbContext(options)
{
    public const string Schema = "votes";

    public DbSet<Vote> Votes => Set<Vote>();
    public DbSet<OptionTally> OptionTallies => Set<OptionTally>();
    public DbSet<PollTally> PollTallies => Set<PollTally>();
    public DbSet<PollReplica> PollReplicas => Set<PollReplica>();
    public DbSet<VoterHashKey> VoterHashKeys => Set<VoterHashKey>();
    public DbSet<UncountedVote> UncountedVotes => Set<UncountedVote>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<PollReplica>(replica =>
        {
            replica.HasKey(r => r.PollId);
            replica.Property(r => r.Version).IsConcurrencyToken();
            replica.Property(r => r.ResultsVisibility).HasConversion<string>().HasMaxLength(16);
            replica.Property(r => r.DuplicateCheck).HasConversion<string>().HasMaxLength(16);
            replica.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
            replica.OwnsMany(r => r.Options, option => option.ToJson());
        });
        modelBuilder.Entity<Vote>(vote =>
        {
            vote.Property(v => v.VoterKey).HasMaxLength(Vote.VoterKeyMaxLength);
            vote.Property(v => v.DedupeKey).HasMaxLength(Vote.VoterKeyMaxLength + 16);
            // The duplicate check itself: two ballots with one dedupe key cannot both commit, on any instance.
            vote.HasIndex(v => new { v.PollId, v.DedupeKey }).IsUnique().HasFilter("dedupe_key IS NOT NULL")
                .HasDatabaseName(Constraints.OneVotePerVoter);
            // A poll's votes: recounted when the poll closes (FinalTally), and "after_vote" results ask whether a voter key has voted.
            vote.HasIndex(v => new { v.PollId, v.VoterKey });
        });
        // The tally's queue: no row-level security, as the tally takes every tenant's rows on the shard, and counts
        // each tenant's in a transaction bound to that tenant.
        modelBuilder.Entity<UncountedVote>(vote => vote.HasKey(v => v.VoteId));
        modelBuilder.Entity<OptionTally>(tally => tally.HasKey(t => new { t.PollId, t.OptionId }));
        modelBuilder.Entity<PollTally>(tally => tally.HasKey(t => t.PollId));
        modelBuilder.Entity<VoterHashKey>(key =>
        {
            key.HasKey(k => k.TenantId);
            key.Property(k => k.Key).HasMaxLength(VoterHashKey.Bytes);
        });
    }

    public static class Constraints
    {
        public const string OneVotePerVoter = "ux_votes_poll_id_dedupe_key";
    }
}
