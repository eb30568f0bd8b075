using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatPulse.LoadTest;

/// <summary>
/// What <c>--json</c> writes: the run (date, machine, options) and one section per benchmark that ran, with the
/// same figures the tables print (numbers, not text), for scripts.
/// </summary>
public sealed class Figures
{
    private static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly JsonObject _root = [];

    public Figures(LoadOptions options)
    {
        _root["date"] = DateTimeOffset.UtcNow.ToString("O");
        _root["mode"] = options.Mode;
        _root["configuration"] = options.Configuration;
        _root["cores"] = Environment.ProcessorCount;
        _root["loadAverage"] = new JsonArray([.. File.ReadAllText("/proc/loadavg").Split(' ')[..3].Select(v => JsonValue.Create(double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)))]);
    }

    /// <summary>Sets a benchmark's section (e.g. <c>"webhook"</c>).</summary>
    public void Set(string benchmark, JsonNode section) => _root[benchmark] = section;

    /// <summary>Adds one run to a benchmark that runs more than once (e.g. overlay latency, once per rate).</summary>
    public void Append(string benchmark, JsonNode run)
    {
        if (_root[benchmark] is not JsonArray runs)
        {
            _root[benchmark] = runs = [];
        }

        runs.Add(run);
    }

    public void Write(TextWriter writer) => writer.WriteLine(_root.ToJsonString(Indented));

    /// <summary>Percentiles of milliseconds, as <see cref="Stats.Summary"/> prints them.</summary>
    public static JsonObject Distribution(List<double> milliseconds)
    {
        milliseconds.Sort();
        double At(double p) => milliseconds.Count == 0 ? double.NaN : Stats.Percentile(milliseconds, p);
        return new JsonObject
        {
            ["p50"] = Number(At(0.50)),
            ["p90"] = Number(At(0.90)),
            ["p99"] = Number(At(0.99)),
            ["max"] = Number(milliseconds.Count == 0 ? double.NaN : milliseconds[^1]),
            ["n"] = milliseconds.Count,
        };
    }

    /// <summary>A number that JSON can hold: NaN and infinities (no samples) become null.</summary>
    public static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(Math.Round(value, 3)) : null;
}
