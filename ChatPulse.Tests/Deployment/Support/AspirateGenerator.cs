using System.Text.Json;
using System.Text.RegularExpressions;
using HandlebarsDotNet;

namespace ChatPulse.Tests.Deployment.Support;

/// <summary>
/// What <see cref="Command"/> writes into <c>aspirate-output/</c>, computed from the published manifest with Aspirate's
/// conventions (its documented folders, file names, generators, port and placeholder rules) and
/// rendered from the project's templates (aspirate.json's TemplatePath) with Handlebars.Net, as Aspirate renders them.
/// Aspirate itself cannot be installed here; this is the check that its output is what is committed.
/// </summary>
public static partial class AspirateGenerator
{
    public const string Command =
        "aspirate generate --non-interactive --skip-build --disable-secrets --image-pull-policy Always --include-dashboard false --namespace chatpulse --output-path ../aspirate-output";

    public const string Namespace = "chatpulse";
    public const string ImagePullPolicy = "Always";

    /// <summary>Variables Aspirate moves into its own secret file; everything else lands in a plain ConfigMap.</summary>
    public static readonly string[] SecretPrefixes = ["ConnectionString", "POSTGRES_PASSWORD"];

    /// <summary>The resources Aspirate writes folders for, in manifest order; parameters and values only feed placeholders.</summary>
    public static IReadOnlyList<JsonProperty> Deployable(JsonElement resources) =>
        resources.EnumerateObject().Where(r => IsProject(r.Value) || IsContainer(r.Value)).ToList();

    public static bool IsProject(JsonElement resource) => TypeOf(resource) is "project.v0" or "project.v1";

    public static bool IsContainer(JsonElement resource) => TypeOf(resource) is "container.v0" or "container.v1";

    /// <summary>Every file, by path relative to the output folder ('/' separated).</summary>
    public static SortedDictionary<string, string> Generate(JsonElement resources, string projectImage, string templateDirectory)
    {
        var render = Templates(templateDirectory);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var folders = new List<string>();
        foreach (var resource in Deployable(resources))
        {
            var data = DataFor(resource, resources, projectImage);
            var workload = data.HasVolumes ? "statefulset" : "deployment";
            files[$"{data.Name}/{workload}.yaml"] = render[workload](data);
            files[$"{data.Name}/service.yaml"] = render["service"](data);
            files[$"{data.Name}/kustomization.yaml"] = render["kustomization"](data);
            folders.Add(data.Name!);
        }

        var top = new TemplateData { Namespace = Namespace, Manifests = [.. folders, "namespace.yaml"] };
        files["namespace.yaml"] = render["namespace"](top);
        files["kustomization.yaml"] = render["kustomization"](top);
        return files;
    }

    /// <summary>The template data of one project or container.</summary>
    public static TemplateData DataFor(JsonProperty resource, JsonElement resources, string projectImage)
    {
        var name = resource.Name.ToLowerInvariant();
        var value = resource.Value;
        var env = new Dictionary<string, string?>();
        var secrets = new Dictionary<string, string?>();
        if (value.TryGetProperty("env", out var variables))
        {
            foreach (var variable in variables.EnumerateObject())
            {
                var resolved = Resolve(variable.Value.GetString() ?? "", resources);
                if (SecretPrefixes.Any(p => variable.Name.StartsWith(p, StringComparison.Ordinal)))
                {
                    secrets[variable.Name] = resolved;
                }
                else if (resolved.Length > 0)
                {
                    env[variable.Name] = resolved; // Aspirate drops empty values
                }
            }
        }

        return new TemplateData
        {
            Name = name,
            ContainerImage = (IsProject(value) ? projectImage : value.GetProperty("image").GetString()!).ToLowerInvariant(),
            ImagePullPolicy = ImagePullPolicy,
            IsProject = IsProject(value),
            Env = env,
            Secrets = secrets,
            Ports = PortsOf(value),
            Args = value.TryGetProperty("args", out var args) ? args.EnumerateArray().Select(a => Resolve(a.GetString() ?? "", resources)).ToList() : [],
            Entrypoint = value.TryGetProperty("entrypoint", out var entrypoint) ? entrypoint.GetString() : null,
            Volumes = value.TryGetProperty("volumes", out var volumes)
                ? volumes.EnumerateArray().Select(v => VolumeOf(name, v)).ToList()
                : [],
            Manifests = [value.TryGetProperty("volumes", out var v) && v.GetArrayLength() > 0 ? "statefulset.yaml" : "deployment.yaml", "service.yaml"],
        };
    }

    /// <summary>Replaces every <c>{resource.…}</c> placeholder as Aspirate does; a parameter's value cannot be known here.</summary>
    public static string Resolve(string text, JsonElement resources) =>
        Placeholder().Replace(text, match =>
        {
            var path = match.Groups[1].Value.Split('.');
            if (!resources.TryGetProperty(path[0], out var target))
            {
                throw new InvalidOperationException($"placeholder {match.Value} names no resource");
            }

            return path switch
            {
                [_, "bindings", var binding, var property] => BindingValue(path[0], target, binding, property),
                [_, "connectionString"] => Resolve(target.GetProperty("connectionString").GetString() ?? "", resources),
                _ => throw new InvalidOperationException(
                    $"placeholder {match.Value} needs a parameter's value: Aspirate would generate it or ask for it, and write it into the output"),
            };
        });

    private static string BindingValue(string resource, JsonElement target, string binding, string property)
    {
        var port = PortsOf(target).Single(p => p.Name == binding);
        return property switch
        {
            "host" => resource,
            "port" => (port.ExternalPort != 0 ? port.ExternalPort : port.InternalPort).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "targetPort" => port.InternalPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "scheme" => target.GetProperty("bindings").GetProperty(binding).GetProperty("scheme").GetString()!,
            "url" when binding == "http" => $"http://{resource}:{port.InternalPort}",
            _ => throw new InvalidOperationException($"binding property {resource}.bindings.{binding}.{property} is not supported here"),
        };
    }

    /// <summary>Bindings as ports; http and https without a target port get 8080 and 8443.</summary>
    private static List<PortData> PortsOf(JsonElement resource)
    {
        if (!resource.TryGetProperty("bindings", out var bindings))
        {
            return [];
        }

        return bindings.EnumerateObject().Select(b =>
        {
            var target = b.Value.TryGetProperty("targetPort", out var t) ? t.GetInt32() : 0;
            target = target != 0 ? target : b.Name switch { "http" => 8080, "https" => 8443, _ => 0 };
            var port = b.Value.TryGetProperty("port", out var p) ? p.GetInt32() : 0;
            return new PortData(b.Name, target, port);
        }).ToList();
    }

    /// <summary>Volume names as Kubernetes accepts them: '/' and '.' become '-', lower case.</summary>
    private static VolumeData VolumeOf(string resource, JsonElement volume)
    {
        var target = volume.GetProperty("target").GetString()!;
        var name = volume.TryGetProperty("name", out var n) && !string.IsNullOrEmpty(n.GetString()) ? n.GetString()! : $"{resource}-{target}";
        name = name.Replace('/', '-').Replace('.', '-').Replace("--", "-").ToLowerInvariant();
        return new VolumeData(name, target, volume.TryGetProperty("readOnly", out var r) && r.GetBoolean());
    }

    private static Dictionary<string, HandlebarsTemplate<object, object>> Templates(string directory) =>
        new[] { "deployment", "statefulset", "service", "kustomization", "namespace" }
            .ToDictionary(t => t, t => Handlebars.Compile(File.ReadAllText(Path.Combine(directory, $"{t}.hbs"))));

    private static string? TypeOf(JsonElement resource) => resource.GetProperty("type").GetString();

    [GeneratedRegex(@"\{([A-Za-z0-9_.-]+)\}")]
    private static partial Regex Placeholder();
}
