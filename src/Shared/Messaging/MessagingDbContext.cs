using Microsoft.EntityFrameworkCore;

namespace Shared.Messaging;

/// <summary>
/// The <c>messaging</c> schema of the bus we had before Wolverine (outbox, inbox, dead letters). Nothing writes it
/// any more; it is still created on every shard because a later migration reads it (Votes' <c>CountFromQueue</c>
/// queued the votes whose messages were still in this outbox), and its tables stay on databases that had them.
/// </summary>
public sealed class MessagingDbContext(DbContextOptions<MessagingDbContext> options) : DbContext(options)
{
    public const string Schema = "messaging";

    /// <summary>The tenant the writing transaction acts for, as the tenant session set it.</summary>
    internal const string CurrentTenantSql = Tenancy.TenantIsolation.CurrentTenant;

    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<InboxEntry> Inbox => Set<InboxEntry>();
    public DbSet<DeadLetter> DeadLetters => Set<DeadLetter>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<OutboxMessage>(outbox =>
        {
            outbox.ToTable("outbox");
            outbox.Property(m => m.Payload).HasColumnType("jsonb");
            outbox.Property(m => m.TenantId).HasDefaultValueSql(CurrentTenantSql);
            outbox.HasIndex(m => m.TenantId);
            // The relay's scan: pending messages in due order. Dispatched rows drop out of the index.
            outbox.HasIndex(m => m.DueAt).HasFilter("dispatched_at IS NULL").HasDatabaseName("ix_outbox_pending_due_at");
            outbox.HasIndex(m => m.DispatchedAt).HasFilter("dispatched_at IS NOT NULL");
        });
        modelBuilder.Entity<InboxEntry>(inbox =>
        {
            inbox.ToTable("inbox");
            inbox.HasKey(e => new { e.MessageId, e.Handler });
            inbox.HasIndex(e => e.ProcessedAt);
            inbox.Property(e => e.TenantId).HasDefaultValueSql(CurrentTenantSql);
            inbox.HasIndex(e => e.TenantId);
        });
        modelBuilder.Entity<DeadLetter>(dead =>
        {
            dead.ToTable("dead_letters");
            dead.Property(m => m.Payload).HasColumnType("jsonb");
            dead.HasIndex(m => m.TenantId);
        });
    }
}
