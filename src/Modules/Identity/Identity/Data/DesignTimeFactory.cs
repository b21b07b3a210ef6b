using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Npgsql;
using Shared.Data;

namespace Identity.Data;

/// <summary>Lets dotnet-ef build the model to generate migrations; it never opens this connection.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<IdentityDbContext>
{
    public IdentityDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<IdentityDbContext>();
        ModuleDatabase.UseModuleSchema(options, NpgsqlDataSource.Create("Host=localhost"), IdentityDbContext.Schema);
        return new IdentityDbContext(options.Options);
    }
}
