using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Npgsql;

namespace Shared.Data;

/// <summary>
/// Lets dotnet-ef build a module's model to generate migrations, with the same options as at run time.
/// It never opens its connection. Each module derives one sealed class from it, which dotnet-ef finds.
/// </summary>
public abstract class ModuleDesignTimeFactory<TContext>(string schema, Func<DbContextOptions<TContext>, TContext> create)
    : IDesignTimeDbContextFactory<TContext>
    where TContext : DbContext
{
    public TContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<TContext>();
        ModuleDatabase.UseModuleSchema(options, NpgsqlDataSource.Create("Host=localhost"), schema);
        return create(options.Options);
    }
}
