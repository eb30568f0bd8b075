using System.Text.RegularExpressions;

namespace ChatPulse.Tests.Deployment.Support;

/// <summary>One sample of the Prometheus text exposition format: <c>name{label="value",…} 42</c>.</summary>
public sealed partial record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public static IReadOnlyList<PrometheusSample> Parse(string text) =>
        text.Split('\n')
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => SampleLine().Match(line))
            .Where(m => m.Success)
            .Select(m => new PrometheusSample(
                m.Groups["name"].Value,
                LabelPair().Matches(m.Groups["labels"].Value).ToDictionary(l => l.Groups[1].Value, l => Regex.Unescape(l.Groups[2].Value)),
                double.Parse(m.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();

    /// <summary>The <c># TYPE name kind</c> lines.</summary>
    public static IReadOnlyDictionary<string, string> Types(string text) =>
        TypeLine().Matches(text).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();

    [GeneratedRegex(@"^# TYPE (\S+) (\S+)", RegexOptions.Multiline)]
    private static partial Regex TypeLine();
}
