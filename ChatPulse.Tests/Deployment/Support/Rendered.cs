using YamlDotNet.RepresentationModel;

namespace ChatPulse.Tests.Deployment.Support;

/// <summary>A YAML node with path look-ups: <c>Scalar("spec.replicas")</c>, or segments for keys with dots (annotations).</summary>
public class Node(YamlNode raw)
{
    public YamlNode Raw { get; } = raw;

    public string? Value => (Raw as YamlScalarNode)?.Value;

    public Node? Get(params string[] path)
    {
        YamlNode? current = Raw;
        foreach (var key in path.Length == 1 ? path[0].Split('.') : path)
        {
            current = current is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;
        }

        return current is null ? null : new Node(current);
    }

    public string? Scalar(params string[] path) => Get(path)?.Value;

    public IReadOnlyList<Node> List(params string[] path) =>
        Get(path)?.Raw is YamlSequenceNode sequence ? sequence.Children.Select(c => new Node(c)).ToList() : [];

    public IReadOnlyDictionary<string, Node> Map(params string[] path) =>
        Get(path)?.Raw is YamlMappingNode map
            ? map.Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => new Node(e.Value))
            : new Dictionary<string, Node>();
}

/// <summary>One Kubernetes object of a rendered set.</summary>
public sealed class KubeObject(YamlMappingNode raw) : Node(raw)
{
    public string ApiVersion => Scalar("apiVersion") ?? "";
    public string Kind => Scalar("kind") ?? "";
    public string Name => Scalar("metadata.name") ?? "";
    public string? Namespace => Scalar("metadata.namespace");

    /// <summary>The pod's containers, for Deployments and StatefulSets.</summary>
    public IReadOnlyList<Node> Containers() => List("spec.template.spec.containers");

    public override string ToString() => $"{Kind}/{Name}";
}

/// <summary>A set of objects: what <c>kubectl kustomize</c> renders, or one file.</summary>
public sealed class Rendered(string yaml, IReadOnlyList<KubeObject> objects)
{
    public string Yaml { get; } = yaml;

    public IReadOnlyList<KubeObject> Objects { get; } = objects;

    public static async Task<Rendered> KustomizeAsync(string directory) =>
        Parse(await Tool.RunAsync("kubectl", ["kustomize", directory]));

    public static Rendered Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return new Rendered(yaml, stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().Select(m => new KubeObject(m)).ToList());
    }

    public IEnumerable<KubeObject> OfKind(string kind) => Objects.Where(o => o.Kind == kind);

    public IEnumerable<KubeObject> Workloads() => Objects.Where(o => o.Kind is "Deployment" or "StatefulSet");

    public KubeObject Single(string kind, string name) =>
        Objects.SingleOrDefault(o => o.Kind == kind && o.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"{kind}/{name} is not rendered; rendered: {string.Join(", ", Objects)}");
}

/// <summary>YAML as written (scalar styles), for what a parsed model hides.</summary>
public static class RawYaml
{
    /// <summary>Every scalar in a sequence under a key named <paramref name="key"/>, anywhere in the documents.</summary>
    public static IEnumerable<YamlScalarNode> ScalarsUnder(string yaml, string key)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.SelectMany(d => d.AllNodes).OfType<YamlMappingNode>()
            .SelectMany(m => m.Children.Where(e => e.Key is YamlScalarNode { Value: var k } && k == key).Select(e => e.Value))
            .OfType<YamlSequenceNode>()
            .SelectMany(s => s.Children.OfType<YamlScalarNode>());
    }
}
