using System.Net;
using ChatPulse.Tests.Deployment.Support;

namespace ChatPulse.Tests.Deployment;

/// <summary>
/// The rendered network policies, evaluated over the rendered pods' labels and the peers around them, allow exactly
/// the flows docs/kubernetes-security.md lists, whichever route and data choice the operator makes.
/// </summary>
public sealed class NetworkPolicyTests
{
    private const string Namespace = "chatpulse";

    private static readonly Peer Stranger = Peer.Pod("another pod of the namespace", Namespace, IPAddress.Parse("10.244.0.50"), ("app", "debug"));
    private static readonly Peer Nginx = Peer.Pod("ingress-nginx controller", "ingress-nginx", IPAddress.Parse("10.244.1.10"),
        ("app.kubernetes.io/name", "ingress-nginx"), ("app.kubernetes.io/component", "controller"));
    private static readonly Peer Traefik = Peer.Pod("traefik", "traefik", IPAddress.Parse("10.244.1.11"), ("app.kubernetes.io/name", "traefik"));
    private static readonly Peer Alb = Peer.Outside("AWS ALB node in the VPC", "10.0.1.10");
    private static readonly Peer Prometheus = Peer.Pod("prometheus", "monitoring", IPAddress.Parse("10.244.1.12"), ("app.kubernetes.io/name", "prometheus"));
    private static readonly Peer Dns = Peer.Pod("kube-dns", "kube-system", IPAddress.Parse("10.244.1.13"), ("k8s-app", "kube-dns"));
    private static readonly Peer Impostor = Peer.Pod("an app=chatpulse pod of another namespace", "default", IPAddress.Parse("10.244.1.14"), ("app", "chatpulse"));
    private static readonly Peer Twitch = Peer.Outside("api.twitch.tv", "203.0.113.7");
    private static readonly Peer Metadata = Peer.Outside("cloud metadata endpoint", "169.254.169.254");
    private static readonly Peer ManagedDatabase = Peer.Outside("managed Postgres/Redis", "172.20.0.5");

    private static readonly (int Port, string Protocol)[] Ports = [(8080, "TCP"), (5432, "TCP"), (6379, "TCP"), (53, "UDP"), (53, "TCP"), (443, "TCP"), (80, "TCP")];

    public static TheoryData<string, string> Choices() => KubernetesLayer.ChoiceData();

    [Theory]
    [MemberData(nameof(Choices))]
    public async Task Policies_allow_exactly_the_stated_flows(string route, string data)
    {
        var rendered = await KubernetesLayer.RenderAsync(route, data);
        var pods = rendered.Workloads().Select((w, i) => new Peer(w.Name, Namespace,
            w.Map("spec.template.metadata.labels").ToDictionary(l => l.Key, l => l.Value.Value!), IPAddress.Parse($"10.244.0.{i + 10}"))).ToList();
        var everyone = pods.Concat([Stranger, Nginx, Traefik, Alb, Prometheus, Dns, Impostor, Twitch, Metadata, ManagedDatabase]).ToList();
        var model = new NetworkPolicyModel(rendered.OfKind("NetworkPolicy").ToList());

        // Only flows that start or end in the namespace are the policies' business.
        var allowed = (from source in everyone
                       from target in everyone
                       where source != target && (source.Namespace == Namespace || target.Namespace == Namespace)
                       from port in Ports
                       where model.Allows(source, target, port.Port, port.Protocol)
                       select $"{source} -> {target}:{port.Port}/{port.Protocol}").Order().ToList();

        var api = pods.Single(p => p.Name == "chatpulse");
        var controller = route switch { KubernetesLayer.Nginx => Nginx, KubernetesLayer.Traefik => Traefik, _ => Alb };
        var expected = new List<string>
        {
            $"{controller} -> {api}:8080/TCP",
            $"{Prometheus} -> {api}:8080/TCP",
            $"{api} -> {Dns}:53/UDP",
            $"{api} -> {Dns}:53/TCP",
            $"{api} -> {Twitch}:443/TCP",
        };
        if (data == KubernetesLayer.InCluster)
        {
            expected.Add($"{api} -> postgres:5432/TCP");
            expected.Add($"{api} -> redis:6379/TCP");
        }
        else
        {
            // Managed services have the provider's addresses: any address outside the namespace but the metadata
            // endpoint, on their two ports.
            expected.AddRange(everyone.Where(p => p.Namespace != Namespace && p != Metadata).SelectMany(p => new[] { $"{api} -> {p}:5432/TCP", $"{api} -> {p}:6379/TCP" }));
        }

        Assert.Equal(expected.Order().ToList(), allowed);
    }

    [Fact]
    public async Task A_namespace_without_the_policies_would_allow_everything()
    {
        // The model's baseline: with no policy, every pod accepts and sends everything (so the test above can fail).
        var model = new NetworkPolicyModel([]);
        var rendered = await KubernetesLayer.RenderAsync();

        Assert.True(model.Allows(Stranger, Peer.Pod("postgres", Namespace, IPAddress.Parse("10.244.0.10"), ("app", "postgres")), 5432, "TCP"));
        Assert.NotEmpty(rendered.OfKind("NetworkPolicy"));
        Assert.Contains(rendered.OfKind("NetworkPolicy"), p => p.Get("spec.podSelector")!.Map().Count == 0
            && p.List("spec.policyTypes").Select(t => t.Value).Order().SequenceEqual(["Egress", "Ingress"]));
    }
}
