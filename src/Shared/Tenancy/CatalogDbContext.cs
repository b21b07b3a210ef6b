using Microsoft.EntityFrameworkCore;

namespace Shared.Tenancy;

/// <summary>
/// The catalog database: what must be global. Tenants and the shard each lives on (slug uniqueness comes from
/// here), the shard registry with each shard's state, and the routes from the ids public routes name to their tenant.
/// </summary>
internal sealed class CatalogDbContext(DbContextOptions<CatalogDbContext> options) : DbContext(options)
{
    public const string Schema = "catalog";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<CatalogShard>(shard =>
        {
            shard.ToTable("shards");
            shard.Property(s => s.Id).HasMaxLength(64);
            shard.Property(s => s.State).HasMaxLength(16);
        });
        modelBuilder.Entity<CatalogTenant>(tenant =>
        {
            tenant.ToTable("tenants");
            tenant.Property(t => t.Slug).HasMaxLength(40);
            tenant.HasIndex(t => t.Slug).IsUnique();
            tenant.Property(t => t.ShardId).HasMaxLength(64);
            tenant.HasIndex(t => t.ShardId);
            tenant.Property(t => t.State).HasMaxLength(16);
            tenant.HasOne<CatalogShard>().WithMany().HasForeignKey(t => t.ShardId);
        });
        modelBuilder.Entity<PublicRoute>(route =>
        {
            route.ToTable("public_routes");
            route.HasKey(r => r.PublicId);
            route.HasIndex(r => r.TenantId);
        });
    }
}

/// <summary>A shard as the catalog knows it. Its connection string is configuration, never data.</summary>
internal sealed class CatalogShard
{
    public string Id { get; init; } = "";

    /// <summary><see cref="ShardStates"/>: only active shards take new tenants.</summary>
    public string State { get; init; } = ShardStates.Active;
}

internal sealed class CatalogTenant
{
    public Guid Id { get; init; }
    public string Slug { get; init; } = "";
    public string ShardId { get; init; } = "";
    public string State { get; init; } = TenantStates.Active;
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// Which tenant a resource that public routes name by id (a poll, say) belongs to: public routes carry no tenant,
/// and must not scan shards to find one.
/// </summary>
internal sealed class PublicRoute
{
    public Guid PublicId { get; init; }
    public Guid TenantId { get; init; }
}

public static class ShardStates
{
    public const string Active = "active";
    public const string Draining = "draining";
    public const string ReadOnly = "read-only";
}

public static class TenantStates
{
    public const string Active = "active";
    public const string Moving = "moving";
    public const string Departed = "departed";
}

internal sealed class CatalogDesignTimeFactory() : Data.ModuleDesignTimeFactory<CatalogDbContext>(CatalogDbContext.Schema, options => new CatalogDbContext(options));
