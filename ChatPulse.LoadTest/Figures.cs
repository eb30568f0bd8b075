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

    /// <summary>Sets a benchmark's section (e.g. <c>"webhook"</c>); a benchmark run more than once adds to an array under its name.</summary>
    public void Add(string benchmark, JsonNode section)
    {
        if (_root[benchmark] is JsonArray runs)
        {
            runs.Add(section);
        }
        else
        {
            _root[benchmark] = section;
        }
    }

    public void Write(TextWriter writer) => writer.WriteLine(_root.ToJsonString(Indented));

    /// <summary>A number that JSON can hold: NaN and infinities (no samples) become null.</summary>
    public static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(Math.Round(value, 3)) : null;
}
