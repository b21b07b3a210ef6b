using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Host.Metrics;

/// <summary>
/// Collects the process's own meters (ASP.NET Core's request durations, the runtime's GC, thread-pool and memory
/// figures, the bus's outbox figures, the cache's hits and loads, the live streams) and renders them in the
/// Prometheus text format for <c>GET /metrics</c>. Counters are summed, histograms bucketed, observable
/// instruments read at scrape time.
/// </summary>
internal sealed class PrometheusExporter : IDisposable
{
    private static readonly string[] Meters =
        ["Microsoft.AspNetCore.Hosting", "System.Runtime", Shared.Messaging.MessagingMetrics.MeterName, Shared.Caching.CacheMetrics.MeterName, "Polling.Votes"];
    private static readonly double[] SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly double[] MillisecondsBuckets = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentSeries> _instruments = new();

    public PrometheusExporter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (Meters.Contains(instrument.Meter.Name))
            {
                // The instrument's series travel as the listener's state, so a measurement needs no lookup to find them.
                listener.EnableMeasurementEvents(instrument, _instruments.GetOrAdd(instrument, i => new InstrumentSeries(i)));
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((InstrumentSeries)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((InstrumentSeries)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, state) => ((InstrumentSeries)state!).Record(value, tags));
        _listener.Start();
    }

    public string Render()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        foreach (var instrument in _instruments.Values.Where(i => i.Any).OrderBy(i => i.Instrument.Name, StringComparer.Ordinal))
        {
            instrument.Render(text);
        }
        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private static string MetricName(Instrument instrument)
    {
        var name = Sanitize(instrument.Name);
        var unit = instrument.Unit switch { "s" => "_seconds", "ms" => "_milliseconds", _ => "" };
        return name.EndsWith(unit, StringComparison.Ordinal) ? name : name + unit;
    }

    private static string Sanitize(string name) => string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_'));

    /// <summary>
    /// One instrument's series, one per distinct set of tags. A measurement finds its series by its tags as they come
    /// (no label text is built per measurement: the hot path records a request duration per request).
    /// </summary>
    private sealed class InstrumentSeries
    {
        private readonly ConcurrentDictionary<LabelSet, Series> _series = new(LabelSet.Comparer);
        private readonly ConcurrentDictionary<LabelSet, Series>.AlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>> _byTags;
        private readonly double[]? _buckets;

        public InstrumentSeries(Instrument instrument)
        {
            Instrument = instrument;
            _byTags = _series.GetAlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>>();
            _buckets = instrument is Histogram<double> or Histogram<long> ? instrument.Unit == "s" ? SecondsBuckets : MillisecondsBuckets : null;
        }

        public Instrument Instrument { get; }

        public bool Any => !_series.IsEmpty;

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (!_byTags.TryGetValue(tags, out var series) && !_byTags.TryAdd(tags, series = new Series(_buckets)))
            {
                // Another measurement with these tags added its series first.
                _byTags.TryGetValue(tags, out series);
            }
            series!.Add(value, replace: Instrument.IsObservable);
        }

        public void Render(StringBuilder text)
        {
            var name = MetricName(Instrument);
            var kind = Instrument switch
            {
                Histogram<double> or Histogram<long> => "histogram",
                Counter<long> or Counter<double> or ObservableCounter<long> or ObservableCounter<double> => "counter",
                _ => "gauge",
            };
            text.Append("# HELP ").Append(name).Append(' ').AppendLine(Instrument.Description ?? Instrument.Name);
            text.Append("# TYPE ").Append(name).Append(' ').AppendLine(kind);
            foreach (var (labels, series) in _series.Select(s => (s.Key.Text, s.Value)).OrderBy(s => s.Text, StringComparer.Ordinal))
            {
                series.Render(text, name, labels, kind);
            }
        }
    }

    /// <summary>A series' tags, compared without regard to their order, and their Prometheus label text.</summary>
    private sealed class LabelSet(KeyValuePair<string, object?>[] tags)
    {
        public static readonly TagsComparer Comparer = new();

        public string Text { get; } = Render(tags);

        private static string Render(KeyValuePair<string, object?>[] tags)
        {
            var pairs = tags.Select(tag =>
            {
                var escaped = Convert.ToString(tag.Value, CultureInfo.InvariantCulture)?.Replace("\\", "\\\\", StringComparison.Ordinal)
                    .Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
                return $"{Sanitize(tag.Key)}=\"{escaped}\"";
            }).Order(StringComparer.Ordinal);
            return string.Join(',', pairs);
        }

        public sealed class TagsComparer : IEqualityComparer<LabelSet>, IAlternateEqualityComparer<ReadOnlySpan<KeyValuePair<string, object?>>, LabelSet>
        {
            public bool Equals(LabelSet? x, LabelSet? y) => ReferenceEquals(x, y) || (x is not null && y is not null && Equals(x.Tags, y));

            public int GetHashCode(LabelSet set) => GetHashCode(set.Tags);

            public bool Equals(ReadOnlySpan<KeyValuePair<string, object?>> tags, LabelSet set)
            {
                if (tags.Length != set.Tags.Length)
                {
                    return false;
                }
                foreach (var tag in tags)
                {
                    if (!set.Contains(tag))
                    {
                        return false;
                    }
                }
                return true;
            }

            public int GetHashCode(ReadOnlySpan<KeyValuePair<string, object?>> tags)
            {
                // Summed, so that the same tags in another order hash alike.
                var hash = 0;
                foreach (var (key, value) in tags)
                {
                    hash += HashCode.Combine(StringComparer.Ordinal.GetHashCode(key), value);
                }
                return hash;
            }

            public LabelSet Create(ReadOnlySpan<KeyValuePair<string, object?>> tags) => new(tags.ToArray());
        }

        private KeyValuePair<string, object?>[] Tags { get; } = tags;

        private bool Contains(KeyValuePair<string, object?> tag)
        {
            foreach (var mine in Tags)
            {
                if (string.Equals(mine.Key, tag.Key, StringComparison.Ordinal) && Equals(mine.Value, tag.Value))
                {
                    return true;
                }
            }
            return false;
        }
    }

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
                    var index = 0;
                    while (index < buckets.Length && value > buckets[index])
                    {
                        index++;
                    }
                    _counts[index]++;
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
