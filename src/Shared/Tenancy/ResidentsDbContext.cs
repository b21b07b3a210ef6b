using Microsoft.EntityFrameworkCore;

namespace Shared.Tenancy;

/// <summary>
/// A shard's own list of the tenants living on it (<c>tenancy.residents</c>). Every tenant unit of work checks its
/// tenant's row here: a tenant that is moving refuses writes, one that has left refuses everything, so an instance
/// whose directory cache is stale can never write to, or read from, a shard the tenant has left.
/// </summary>
internal sealed class ResidentsDbContext(DbContextOptions<ResidentsDbContext> options) : DbContext(options)
{
    public const string Schema = "tenancy";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<Resident>(resident =>
        {
            resident.ToTable("residents");
            resident.HasKey(r => r.TenantId);
            resident.Property(r => r.State).HasMaxLength(16);
        });
    }
}

internal sealed class Resident
{
    public Guid TenantId { get; init; }

    /// <summary><see cref="TenantStates"/>.</summary>
    public string State { get; init; } = TenantStates.Active;

    public DateTimeOffset Since { get; init; }
}

internal sealed class ResidentsDesignTimeFactory() : Data.ModuleDesignTimeFactory<ResidentsDbContext>(ResidentsDbContext.Schema, options => new ResidentsDbContext(options));
