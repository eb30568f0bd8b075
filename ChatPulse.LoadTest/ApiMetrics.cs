using System.Globalization;

namespace ChatPulse.LoadTest;

/// <summary>One scrape of the API's Prometheus endpoint (<c>/metrics</c>, Prometheus text format), read by metric name.</summary>
public sealed class ApiMetrics(string[] lines)
{
    public static async Task<ApiMetrics> ScrapeAsync(HttpClient api, CancellationToken cancellationToken) =>
        new((await api.GetStringAsync("/metrics", cancellationToken)).Split('\n'));

    /// <summary>The sum over the samples of <paramref name="name"/> whose labels hold every one of <paramref name="labels"/> (e.g. <c>outcome="buffered"</c>); null when there are none.</summary>
    public double? Sum(string name, params string?[] labels)
    {
        var values = Samples(name, labels).Select(s => s.Value).ToList();
        return values.Count == 0 ? null : values.Sum();
    }

    /// <summary>Each sample of <paramref name="name"/> (exactly that name) whose labels hold every one of <paramref name="labels"/> (nulls ignored): its label text and value.</summary>
    public IEnumerable<(string Labels, double Value)> Samples(string name, params string?[] labels) => lines
        .Where(l => l.StartsWith(name, StringComparison.Ordinal) && l.Length > name.Length && l[name.Length] is ' ' or '{'
                    && labels.All(label => label is null || l.Contains(label, StringComparison.Ordinal)))
        .Select(l =>
        {
            var labelsEnd = l[name.Length] == '{' ? l.LastIndexOf('}') : name.Length - 1;
            var labels = l[name.Length] == '{' ? l[(name.Length + 1)..labelsEnd] : "";
            var value = l[(labelsEnd + 1)..].Trim().Split(' ')[0]; // a timestamp may follow the value
            return (labels, Parse(value));
        });

    private static double Parse(string value) => value switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
    };
}
