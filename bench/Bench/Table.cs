using System.Globalization;

namespace Bench;

/// <summary>The report's markdown tables: a run as a row, beside its baseline.</summary>
internal static class Table
{
    public static string Row(LoadResult run, LoadResult baseline) =>
        $"| {run.Name} | {N(run.Throughput)} | {(run.Throughput / baseline.Throughput).ToString("0.00", CultureInfo.InvariantCulture)} | {Ms(run.Percentile(50))} | {Ms(run.Percentile(95))} | {Ms(run.Percentile(99))} | {run.Failed} |";

    public static string Ms(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);

    public static string N(double value) => value.ToString("0", CultureInfo.InvariantCulture);
}
