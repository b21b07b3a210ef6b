using Identity.Domain;
using Microsoft.EntityFrameworkCore;

namespace Identity.Data;

internal sealed class IdentityDbContext(DbContextOptions<IdentityDbContext> options) : DbContext(options)
{
    public const string Schema = "identity";

    public DbSet<Tenant> Tenants => Set<Tenant>();
    public DbSet<Member> Members => Set<Member>();
    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);

        modelBuilder.Entity<Tenant>(tenant =>
        {
            tenant.Property(t => t.Name).HasMaxLength(Tenant.NameMaxLength);
            tenant.Property(t => t.Slug).HasMaxLength(40);
            tenant.HasIndex(t => t.Slug).IsUnique().HasDatabaseName(Constraints.TenantSlug);
        });

        modelBuilder.Entity<Member>(member =>
        {
            member.ToTable("members");
            member.Property(m => m.Email).HasMaxLength(Member.EmailMaxLength);
            member.Property(m => m.Role).HasConversion<string>().HasMaxLength(16);
            member.HasIndex(m => new { m.TenantId, m.Email }).IsUnique().HasDatabaseName(Constraints.MemberEmail);
            member.HasOne<Tenant>().WithMany().HasForeignKey(m => m.TenantId);
        });

        modelBuilder.Entity<RefreshToken>(token =>
        {
            token.HasIndex(t => t.TokenHash).IsUnique();
            token.HasIndex(t => t.FamilyId);
            token.HasOne<Member>().WithMany().HasForeignKey(t => t.MemberId);
        });

        modelBuilder.Entity<ApiKey>(key =>
        {
            key.Property(k => k.Name).HasMaxLength(ApiKey.NameMaxLength);
            key.Property(k => k.Role).HasConversion<string>().HasMaxLength(16);
            key.HasIndex(k => k.KeyHash).IsUnique();
            key.HasIndex(k => new { k.TenantId, k.Id });
            key.HasOne<Tenant>().WithMany().HasForeignKey(k => k.TenantId);
        });
    }

    /// <summary>Unique indexes whose violation is an answer to the client, not a fault.</summary>
    public static class Constraints
    {
        public const string TenantSlug = "ux_tenants_slug";
        public const string MemberEmail = "ux_members_tenant_id_email";
    }
}
