using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Npgsql;
using Shared.Data;

namespace Polls.Data;

/// <summary>Lets dotnet-ef build the model to generate migrations; it never opens this connection.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<PollsDbContext>
{
    public PollsDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PollsDbContext>();
        ModuleDatabase.UseModuleSchema(options, NpgsqlDataSource.Create("Host=localhost"), PollsDbContext.Schema);
        return new PollsDbContext(options.Options);
    }
}
