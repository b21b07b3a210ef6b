using Microsoft.EntityFrameworkCore;

namespace Shared.Idempotency;

/// <summary>Owns the <c>platform</c> schema's record of idempotent requests.</summary>
public sealed class IdempotencyDbContext(DbContextOptions<IdempotencyDbContext> options) : DbContext(options)
{
    public const string Schema = "platform";

    public DbSet<IdempotentRequest> Requests => Set<IdempotentRequest>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<IdempotentRequest>(request =>
        {
            request.ToTable("idempotent_requests");
            request.HasKey(r => new { r.Scope, r.Key });
            request.HasIndex(r => r.CreatedAt);
        });
    }
}

internal sealed class DesignTimeFactory() : Data.ModuleDesignTimeFactory<IdempotencyDbContext>(IdempotencyDbContext.Schema, options => new IdempotencyDbContext(options));
