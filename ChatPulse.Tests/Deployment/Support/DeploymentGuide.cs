using System.Text.RegularExpressions;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Deployment.Support;

/// <summary>
/// The objects of the deployment guide (docs/deployment-guide.md), read from its YAML blocks, each
/// with the k8s/ file it names (the Traefik block names none: ingressroute-traefik.yaml).
/// </summary>
public static partial class DeploymentGuide
{
    private static readonly Lazy<IReadOnlyList<(string File, KubeObject Object)>> All = new(Read);

    public static IReadOnlyList<(string File, KubeObject Object)> Objects => All.Value;

    /// <summary>The guide's `kubectl apply -f k8s/…` steps, in order.</summary>
    public static IReadOnlyList<string> ApplyOrder =>
        ApplyStep().Matches(File.ReadAllText(RepositoryPaths.KubernetesGuide)).Select(m => m.Groups[1].Value).ToList();

    public static KubeObject Object(string file) => Objects.Single(o => o.File == file).Object;

    private static IReadOnlyList<(string File, KubeObject Object)> Read()
    {
        var text = File.ReadAllText(RepositoryPaths.KubernetesGuide);
        return YamlBlock().Matches(text)
            .Select(m => m.Groups[1].Value)
            .Select(yaml => (Yaml: yaml, Object: Rendered.Parse(yaml).Objects.Single()))
            .Select(b => (FileName().Match(b.Yaml) is { Success: true } f ? f.Groups[1].Value : $"{b.Object.Kind.ToLowerInvariant()}-traefik.yaml", b.Object))
            .ToList();
    }

    [GeneratedRegex(@"```yaml\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();

    [GeneratedRegex(@"^# k8s/([a-z-]+\.yaml)", RegexOptions.Multiline)]
    private static partial Regex FileName();

    [GeneratedRegex(@"^kubectl apply -f k8s/([a-z-]+\.yaml)", RegexOptions.Multiline)]
    private static partial Regex ApplyStep();
}
