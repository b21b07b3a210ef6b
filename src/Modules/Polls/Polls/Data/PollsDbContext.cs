using Microsoft.EntityFrameworkCore;
using Polls.Domain;

namespace Polls.Data;

internal sealed class PollsDbContext(DbContextOptions<PollsDbContext> options) : DbContext(options)
{
    public const string Schema = "polls";

    public DbSet<Poll> Polls => Set<Poll>();
    public DbSet<ScheduledClose> ScheduledCloses => Set<ScheduledClose>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<Poll>(poll =>
        {
            poll.Property(p => p.Question).HasMaxLength(PollRules.QuestionMaxLength);
            poll.Property(p => p.Description).HasMaxLength(PollRules.DescriptionMaxLength);
            poll.Property(p => p.Status).HasConversion<string>().HasMaxLength(16);
            poll.Property(p => p.ResultsVisibility).HasConversion<string>().HasMaxLength(16);
            poll.Property(p => p.DuplicateCheck).HasConversion<string>().HasMaxLength(16);
            poll.Property(p => p.Version).IsConcurrencyToken();
            // The tenant's list, newest first, without the archived.
            poll.HasIndex(p => new { p.TenantId, p.Id }).HasFilter("archived_at IS NULL");
            poll.OwnsMany(p => p.Options, option =>
            {
                option.ToTable("poll_options");
                option.WithOwner().HasForeignKey("PollId");
                option.HasKey(o => o.Id);
                option.Property(o => o.Text).HasMaxLength(PollRules.OptionTextMaxLength);
            });
            poll.Navigation(p => p.Options).HasField("_options").UsePropertyAccessMode(PropertyAccessMode.Field);
        });
        modelBuilder.Entity<ScheduledClose>(close =>
        {
            close.HasKey(c => c.PollId);
            close.HasIndex(c => c.ClosesAt);
        });
    }
}
