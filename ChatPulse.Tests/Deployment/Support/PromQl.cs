using System.Text.Json;

namespace ChatPulse.Tests.Deployment.Support;

/// <summary>
/// PromQL parsed by Prometheus's own grammar (the npm package <c>@prometheus-io/lezer-promql</c>, which Prometheus's
/// UI uses), installed once from the npm registry into a temp folder and run with node.
/// </summary>
public static class PromQl
{
    private const string Packages = "@prometheus-io/lezer-promql@0.315.0 @lezer/lr@1.4.12 @lezer/highlight@1.2.5";

    // Prints, per expression, where the parser found errors and the metric names its vector selectors name.
    private const string Script = """
        const { parser } = require('@prometheus-io/lezer-promql');
        const expressions = JSON.parse(require('fs').readFileSync(0, 'utf8'));
        console.log(JSON.stringify(expressions.map(e => {
          const result = { errors: [], metrics: [] };
          parser.parse(e).iterate({ enter: n => {
            if (n.type.isError) result.errors.push(n.from);
            if (n.name === 'Identifier' && n.node.parent?.name === 'VectorSelector') result.metrics.push(e.slice(n.from, n.to));
          } });
          return result;
        })));
        """;

    private static readonly Lazy<Task<string>> Installed = new(InstallAsync);

    public sealed record Parsed(IReadOnlyList<int> Errors, IReadOnlyList<string> Metrics);

    public static async Task<IReadOnlyList<Parsed>> ParseAsync(IReadOnlyList<string> expressions)
    {
        var directory = await Installed.Value;
        var input = Path.Combine(directory, $"input-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(input, JsonSerializer.Serialize(expressions));
        try
        {
            var output = await Tool.RunAsync("/bin/sh", ["-c", $"node check.cjs < '{input}'"], directory);
            return JsonSerializer.Deserialize<List<Parsed>>(output, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        }
        finally
        {
            File.Delete(input);
        }
    }

    private static async Task<string> InstallAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "chatpulse-promql-0.315.0");
        if (!File.Exists(Path.Combine(directory, "node_modules", "@prometheus-io", "lezer-promql", "package.json")))
        {
            Directory.CreateDirectory(directory);
            await Tool.RunAsync("/bin/sh", ["-c", $"npm install --no-audit --no-fund --no-save --silent --prefix . {Packages}"], directory);
        }

        await File.WriteAllTextAsync(Path.Combine(directory, "check.cjs"), Script);
        return directory;
    }
}
