using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Bench;

/// <summary>The database baseline for the vote route.</summary>
internal static class PgbenchScenario
{
    /// <summary>
    /// The database baseline: pgbench inserting vote-shaped rows (a uuid, a uuid array, a timestamp) with the same
    /// client count, i.e. what PostgreSQL alone does with the vote's one durable write.
    /// </summary>
    public static async Task<double> RunAsync(NpgsqlDataSource db, string postgres, int seconds)
    {
        await using (var create = db.CreateCommand("CREATE TABLE IF NOT EXISTS public.pgbench_votes (id uuid PRIMARY KEY, poll_id uuid, option_ids uuid[], cast_at timestamptz)"))
        {
            await create.ExecuteNonQueryAsync();
        }
        var script = Path.GetTempFileName();
        await File.WriteAllTextAsync(script, "INSERT INTO public.pgbench_votes VALUES (gen_random_uuid(), gen_random_uuid(), ARRAY[gen_random_uuid()], now());\n");
        var connection = new NpgsqlConnectionStringBuilder(postgres);
        var pgbench = File.Exists("/usr/bin/pgbench") ? "/usr/bin/pgbench" : Directory.GetFiles("/usr/lib/postgresql", "pgbench", SearchOption.AllDirectories)[0];
        var start = new ProcessStartInfo(pgbench,
            ["-n", "-c", Report.Concurrency.ToString(CultureInfo.InvariantCulture), "-j", "2", "-T", seconds.ToString(CultureInfo.InvariantCulture),
             "-f", script, "-h", connection.Host!, "-p", connection.Port.ToString(CultureInfo.InvariantCulture), "-U", connection.Username!, connection.Database!])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        File.Delete(script);
        var tps = output.Split('\n').First(l => l.StartsWith("tps = ", StringComparison.Ordinal));
        return double.Parse(tps["tps = ".Length..].Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
