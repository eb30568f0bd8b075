using System.Text.RegularExpressions;
using k8s;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace ChatPulse.Tests.Deployment.Support;

/// <summary>
/// Checks objects against the Kubernetes API without a cluster: built-in kinds deserialise strictly into the
/// KubernetesClient models (an unknown field or a wrong type fails), CRDs into models of the fields their schemas
/// define; then the rules the API server adds that a type cannot say (required fields, names, selectors, named ports).
/// </summary>
public static partial class KubernetesSchema
{
    private static readonly IDeserializer Crd = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();

    public static IReadOnlyList<string> Errors(Rendered rendered) => rendered.Objects.SelectMany(Errors).ToList();

    public static IEnumerable<string> Errors(KubeObject item)
    {
        var yaml = Serialize(item.Raw);
        var errors = new List<string>();
        try
        {
            switch (item.ApiVersion, item.Kind)
            {
                case ("monitoring.coreos.com/v1", "ServiceMonitor"):
                    errors.AddRange(Check(Crd.Deserialize<ServiceMonitor>(yaml)));
                    break;
                case ("monitoring.coreos.com/v1", "PrometheusRule"):
                    errors.AddRange(Check(Crd.Deserialize<PrometheusRule>(yaml)));
                    break;
                case ("traefik.containo.us/v1alpha1" or "traefik.io/v1alpha1", "IngressRoute"):
                    errors.AddRange(Check(Crd.Deserialize<IngressRoute>(yaml)));
                    break;
                default:
                    KubernetesYaml.LoadAllFromString(yaml, typeMap: null, strict: true);
                    break;
            }
        }
        catch (Exception e) when (e is YamlDotNet.Core.YamlException or KeyNotFoundException)
        {
            errors.Add($"does not match its schema: {e.Message} {e.InnerException?.Message}");
        }

        errors.AddRange(ApiServerRules(item));
        return errors.Select(e => $"{item}: {e}");
    }

    /// <summary>What the API server validates beyond the types.</summary>
    private static IEnumerable<string> ApiServerRules(KubeObject item)
    {
        if (!Dns1123Subdomain().IsMatch(item.Name) || item.Name.Length > 253)
        {
            yield return $"name '{item.Name}' is not a DNS-1123 name";
        }

        if (item.Kind is "Deployment" or "StatefulSet")
        {
            var selector = item.Map("spec.selector.matchLabels");
            var labels = item.Map("spec.template.metadata.labels");
            if (selector.Count == 0 || selector.Any(s => !labels.TryGetValue(s.Key, out var l) || l.Value != s.Value.Value))
            {
                yield return "spec.selector does not match the pod template's labels";
            }

            foreach (var container in item.Containers())
            {
                foreach (var problem in ContainerRules(container))
                {
                    yield return problem;
                }
            }
        }

        if (item.Kind == "Service" && item.List("spec.ports").Any(p => p.Scalar("port") is null))
        {
            yield return "a Service port has no port";
        }

        if (item.Kind == "HorizontalPodAutoscaler"
            && (item.Scalar("spec.maxReplicas") is null || int.Parse(item.Scalar("spec.maxReplicas")!) < int.Parse(item.Scalar("spec.minReplicas") ?? "1")))
        {
            yield return "maxReplicas is missing or below minReplicas";
        }

        if (item.Kind == "PodDisruptionBudget" && item.Get("spec.selector") is null)
        {
            yield return "a PodDisruptionBudget needs a selector";
        }
    }

    private static IEnumerable<string> ContainerRules(Node container)
    {
        if (string.IsNullOrEmpty(container.Scalar("name")) || string.IsNullOrEmpty(container.Scalar("image")))
        {
            yield return "a container needs a name and an image";
        }

        var portNames = container.List("ports").Select(p => p.Scalar("name")).Where(n => n is not null).ToHashSet();
        if (portNames.Any(n => n!.Length > 15))
        {
            yield return "a container port name is longer than 15 characters";
        }

        foreach (var probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
        {
            if (container.Scalar(probe, "httpGet", "port") is { } port && !int.TryParse(port, out _) && !portNames.Contains(port))
            {
                yield return $"{probe} names port '{port}', which the container does not declare";
            }
        }
    }

    private static IEnumerable<string> Check(ServiceMonitor monitor)
    {
        if (monitor.Spec?.Selector is null)
        {
            yield return "spec.selector is required";
        }

        foreach (var endpoint in monitor.Spec?.Endpoints ?? [])
        {
            if (endpoint.Port is null && endpoint.TargetPort is null)
            {
                yield return "an endpoint needs port or targetPort";
            }

            if (endpoint.Interval is { } interval && !PrometheusDuration().IsMatch(interval))
            {
                yield return $"interval '{interval}' is not a Prometheus duration";
            }
        }
    }

    private static IEnumerable<string> Check(IngressRoute route)
    {
        if (route.Spec?.Routes is not { Count: > 0 } routes)
        {
            yield return "spec.routes is required";
            yield break;
        }

        foreach (var rule in routes)
        {
            if (string.IsNullOrEmpty(rule.Match) || rule.Kind != "Rule")
            {
                yield return "a route needs a match and kind Rule";
            }

            if ((rule.Services ?? []).Any(s => string.IsNullOrEmpty(s.Name)))
            {
                yield return "a route service needs a name";
            }
        }
    }

    private static string Serialize(YamlNode node)
    {
        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex("^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$")]
    private static partial Regex PrometheusDuration();

    // The fields of the CRDs' schemas that ChatPulse uses or could use; any other field fails to deserialise.
    public sealed class CrdMetadata
    {
        public string? Name { get; set; }
        public string? Namespace { get; set; }
        public Dictionary<string, string>? Labels { get; set; }
        public Dictionary<string, string>? Annotations { get; set; }
    }

    public sealed class ServiceMonitor
    {
        public string? ApiVersion { get; set; }
        public string? Kind { get; set; }
        public CrdMetadata? Metadata { get; set; }
        public ServiceMonitorSpec? Spec { get; set; }
    }

    public sealed class ServiceMonitorSpec
    {
        public LabelSelector? Selector { get; set; }
        public List<MonitorEndpoint>? Endpoints { get; set; }
        public NamespaceSelector? NamespaceSelector { get; set; }
        public string? JobLabel { get; set; }
    }

    public sealed class LabelSelector
    {
        public Dictionary<string, string>? MatchLabels { get; set; }
        public List<Dictionary<string, object>>? MatchExpressions { get; set; }
    }

    public sealed class NamespaceSelector
    {
        public bool? Any { get; set; }
        public List<string>? MatchNames { get; set; }
    }

    public sealed class MonitorEndpoint
    {
        public string? Port { get; set; }
        public string? TargetPort { get; set; }
        public string? Path { get; set; }
        public string? Scheme { get; set; }
        public string? Interval { get; set; }
        public string? ScrapeTimeout { get; set; }
        public bool? HonorLabels { get; set; }
    }

    public sealed class IngressRoute
    {
        public string? ApiVersion { get; set; }
        public string? Kind { get; set; }
        public CrdMetadata? Metadata { get; set; }
        public IngressRouteSpec? Spec { get; set; }
    }

    public sealed class IngressRouteSpec
    {
        public List<string>? EntryPoints { get; set; }
        public List<Route>? Routes { get; set; }
        public RouteTls? Tls { get; set; }
    }

    public sealed class Route
    {
        public string? Match { get; set; }
        public string? Kind { get; set; }
        public int? Priority { get; set; }
        public List<RouteService>? Services { get; set; }
        public List<Dictionary<string, string>>? Middlewares { get; set; }
    }

    public sealed class RouteService
    {
        public string? Name { get; set; }
        public string? Namespace { get; set; }
        public string? Port { get; set; }
        public string? Kind { get; set; }
        public string? Scheme { get; set; }
    }

    public sealed class RouteTls
    {
        public string? SecretName { get; set; }
        public string? CertResolver { get; set; }
        public Dictionary<string, string>? Options { get; set; }
    }
}
