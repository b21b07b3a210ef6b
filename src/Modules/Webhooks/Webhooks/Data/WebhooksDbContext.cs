using Microsoft.EntityFrameworkCore;
using Webhooks.Domain;

namespace Webhooks.Data;

internal sealed class WebhooksDbContext(DbContextOptions<WebhooksDbContext> options) : DbContext(options)
{
    public const string Schema = "webhooks";

    public DbSet<WebhookEndpoint> Endpoints => Set<WebhookEndpoint>();
    public DbSet<WebhookDelivery> Deliveries => Set<WebhookDelivery>();
    public DbSet<DeliveryAttempt> Attempts => Set<DeliveryAttempt>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<WebhookEndpoint>(endpoint =>
        {
            endpoint.ToTable("endpoints");
            endpoint.Property(e => e.Url).HasMaxLength(WebhookEndpoint.UrlMaxLength);
            endpoint.Property(e => e.Description).HasMaxLength(WebhookEndpoint.DescriptionMaxLength);
            endpoint.Property(e => e.Secret).HasMaxLength(WebhookSecret.MaxLength);
            endpoint.Property(e => e.PreviousSecret).HasMaxLength(WebhookSecret.MaxLength);
            endpoint.Property(e => e.DisabledReason).HasMaxLength(WebhookEndpoint.ReasonMaxLength);
            // The tenant's list, newest first, and the endpoints an event fans out to.
            endpoint.HasIndex(e => new { e.TenantId, e.Id });
        });
        modelBuilder.Entity<WebhookDelivery>(delivery =>
        {
            delivery.ToTable("deliveries");
            delivery.Property(d => d.Event).HasMaxLength(WebhookDelivery.EventMaxLength);
            delivery.Property(d => d.State).HasConversion<string>().HasMaxLength(16);
            delivery.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Cascade);
            // What the dispatcher claims: pending deliveries by due time.
            delivery.HasIndex(d => d.NextAttemptAt).HasFilter("next_attempt_at IS NOT NULL");
        });
        modelBuilder.Entity<DeliveryAttempt>(attempt =>
        {
            attempt.ToTable("delivery_attempts");
            attempt.Property(a => a.Event).HasMaxLength(WebhookDelivery.EventMaxLength);
            attempt.Property(a => a.Error).HasMaxLength(DeliveryAttempt.ErrorMaxLength);
            attempt.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(a => a.EndpointId).OnDelete(DeleteBehavior.Cascade);
            attempt.HasOne<WebhookDelivery>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
            // An endpoint's attempts, newest first.
            attempt.HasIndex(a => new { a.EndpointId, a.Id });
        });
    }
}
