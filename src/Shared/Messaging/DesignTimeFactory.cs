using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Npgsql;
using Shared.Data;

namespace Shared.Messaging;

/// <summary>Lets dotnet-ef build the messaging model to generate migrations; it never opens this connection.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<MessagingDbContext>
{
    public MessagingDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<MessagingDbContext>();
        ModuleDatabase.UseModuleSchema(options, NpgsqlDataSource.Create("Host=localhost"), MessagingDbContext.Schema);
        return new MessagingDbContext(options.Options);
    }
}
