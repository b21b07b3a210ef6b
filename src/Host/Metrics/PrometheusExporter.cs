using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Host.Metrics;

/// <summary>
/// Collects the process's own meters (ASP.NET Core's request durations, the bus's outbox figures, the live
/// streams) and renders them in the Prometheus text format for <c>GET /metrics</c>. Counters are summed,
/// histograms bucketed, observable gauges read at scrape time.
/// </summary>
internal sealed class PrometheusExporter : IDisposable
{
    private static readonly string[] Meters = ["Microsoft.AspNetCore.Hosting", Shared.Messaging.MessagingMetrics.MeterName, "Polling.Votes"];
    private static readonly double[] SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly double[] MillisecondsBuckets = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(Instrument Instrument, string Labels), Series> _series = new();

    public PrometheusExporter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (Meters.Contains(instrument.Meter.Name))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public string Render()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        foreach (var instrument in _series.Keys.Select(k => k.Instrument).Distinct().OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            var name = MetricName(instrument);
            var kind = instrument switch
            {
                Histogram<double> or Histogram<long> => "histogram",
                Counter<long> or Counter<double> => "counter",
                _ => "gauge",
            };
            text.Append("# HELP ").Append(name).Append(' ').AppendLine(instrument.Description ?? instrument.Name);
            text.Append("# TYPE ").Append(name).Append(' ').AppendLine(kind);
            foreach (var ((_, labels), series) in _series.Where(s => s.Key.Instrument == instrument).OrderBy(s => s.Key.Labels, StringComparer.Ordinal))
            {
                series.Render(text, name, labels, kind);
            }
        }
        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = Labels(tags);
        var series = _series.GetOrAdd((instrument, labels), key => new Series(key.Instrument is Histogram<double> or Histogram<long>
            ? key.Instrument.Unit == "s" ? SecondsBuckets : MillisecondsBuckets
            : null));
        series.Add(value, replace: instrument.IsObservable);
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return "";
        }
        var pairs = new List<string>(tags.Length);
        foreach (var (key, value) in tags)
        {
            var escaped = Convert.ToString(value, CultureInfo.InvariantCulture)?.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
            pairs.Add($"{Sanitize(key)}=\"{escaped}\"");
        }
        pairs.Sort(StringComparer.Ordinal);
        return string.Join(',', pairs);
    }

    private static string MetricName(Instrument instrument)
    {
        var name = Sanitize(instrument.Name);
        var unit = instrument.Unit switch { "s" => "_seconds", "ms" => "_milliseconds", _ => "" };
        return name.EndsWith(unit, StringComparison.Ordinal) ? name : name + unit;
    }

    private static string Sanitize(string name) => string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_'));

    /// <summary>One labelled time series: a running sum (counters), a last value (gauges), or buckets (histograms).</summary>
    private sealed class Series(double[]? buckets)
    {
        private readonly Lock _lock = new();
        private readonly long[] _counts = new long[(buckets?.Length ?? 0) + 1];
        private double _sum;
        private long _count;

        public void Add(double value, bool replace)
        {
            lock (_lock)
            {
                _sum = replace ? value : _sum + value;
                _count++;
                if (buckets is not null)
                {
                    var index = Array.FindIndex(buckets, bound => value <= bound);
                    _counts[index < 0 ? buckets.Length : index]++;
                }
            }
        }

        public void Render(StringBuilder text, string name, string labels, string kind)
        {
            lock (_lock)
            {
                if (buckets is null)
                {
                    Line(text, kind == "counter" ? name + "_total" : name, labels, _sum);
                    return;
                }
                long cumulative = 0;
                for (var i = 0; i <= buckets.Length; i++)
                {
                    cumulative += _counts[i];
                    var le = i < buckets.Length ? buckets[i].ToString(CultureInfo.InvariantCulture) : "+Inf";
                    Line(text, name + "_bucket", labels.Length == 0 ? $"le=\"{le}\"" : $"{labels},le=\"{le}\"", cumulative);
                }
                Line(text, name + "_sum", labels, _sum);
                Line(text, name + "_count", labels, _count);
            }
        }

        private static void Line(StringBuilder text, string name, string labels, double value) =>
            text.Append(name).Append(labels.Length == 0 ? "" : "{" + labels + "}").Append(' ')
                .AppendLine(value.ToString(CultureInfo.InvariantCulture));
    }
}
