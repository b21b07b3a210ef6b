using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Npgsql;
using Shared.Data;

namespace Votes.Data;

/// <summary>Lets dotnet-ef build the model to generate migrations; it never opens this connection.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<VotesDbContext>
{
    public VotesDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<VotesDbContext>();
        ModuleDatabase.UseModuleSchema(options, NpgsqlDataSource.Create("Host=localhost"), VotesDbContext.Schema);
        return new VotesDbContext(options.Options);
    }
}
