using System.Net;

namespace ChatPulse.Tests.Deployment.Support;

/// <summary>A pod (namespace and labels) or an address outside the cluster (no namespace), that traffic flows between.</summary>
public sealed record Peer(string Name, string? Namespace, IReadOnlyDictionary<string, string> Labels, IPAddress Address)
{
    public static Peer Pod(string name, string ns, IPAddress address, params (string Key, string Value)[] labels) =>
        new(name, ns, labels.ToDictionary(l => l.Key, l => l.Value), address);

    public static Peer Outside(string name, string address) => new(name, null, new Dictionary<string, string>(), IPAddress.Parse(address));

    /// <summary>The labels every namespace has (kubernetes.io/metadata.name), which namespace selectors match.</summary>
    public IReadOnlyDictionary<string, string> NamespaceLabels => new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = Namespace ?? "" };

    public override string ToString() => Name;
}

/// <summary>
/// NetworkPolicy semantics (networking.k8s.io/v1) over rendered policies: a pod selected by a policy of a direction
/// accepts only what one of those policies' rules allows; the rest of the policies (and pods no policy selects) allow
/// everything. Peers: podSelector (the policy's namespace), namespaceSelector (+ podSelector), ipBlock with except.
/// </summary>
public sealed class NetworkPolicyModel(IReadOnlyList<KubeObject> policies)
{
    public bool Allows(Peer from, Peer to, int port, string protocol) =>
        Permits(from, "Egress", "egress", "to", to, port, protocol) && Permits(to, "Ingress", "ingress", "from", from, port, protocol);

    private bool Permits(Peer subject, string type, string section, string peerKey, Peer other, int port, string protocol)
    {
        var selecting = policies.Where(p => p.Namespace == subject.Namespace && Matches(p.Get("spec.podSelector"), subject.Labels)
            && TypesOf(p).Contains(type)).ToList();
        return selecting.Count == 0 || selecting.Any(p => p.List($"spec.{section}").Any(rule =>
            (rule.Get(peerKey) is null || rule.List(peerKey).Any(peer => PeerMatches(peer, p.Namespace, other)))
            && (rule.List("ports").Count == 0 || rule.List("ports").Any(p => PortMatches(p, port, protocol)))));
    }

    private static IReadOnlyList<string> TypesOf(KubeObject policy)
    {
        var declared = policy.List("spec.policyTypes").Select(t => t.Value!).ToList();
        return declared.Count > 0 ? declared : policy.Get("spec.egress") is null ? ["Ingress"] : ["Ingress", "Egress"];
    }

    private static bool PeerMatches(Node peer, string? policyNamespace, Peer other)
    {
        if (peer.Get("ipBlock") is { } block)
        {
            return Contains(block.Scalar("cidr")!, other.Address) && block.List("except").All(e => !Contains(e.Value!, other.Address));
        }

        if (other.Namespace is null)
        {
            return false; // selectors name pods, never addresses outside the cluster
        }

        var namespaces = peer.Get("namespaceSelector");
        var namespaceOk = namespaces is null ? other.Namespace == policyNamespace : Matches(namespaces, other.NamespaceLabels);
        return namespaceOk && (peer.Get("podSelector") is not { } pods || Matches(pods, other.Labels));
    }

    private static bool PortMatches(Node entry, int port, string protocol)
    {
        if ((entry.Scalar("protocol") ?? "TCP") != protocol)
        {
            return false;
        }

        if (entry.Scalar("port") is not { } value)
        {
            return true;
        }

        // Named ports would need the destination's container ports; these policies use numbers only.
        var first = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        var last = entry.Scalar("endPort") is { } end ? int.Parse(end, System.Globalization.CultureInfo.InvariantCulture) : first;
        return port >= first && port <= last;
    }

    public static bool Matches(Node? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector is null)
        {
            return false;
        }

        return selector.Map("matchLabels").All(m => labels.TryGetValue(m.Key, out var v) && v == m.Value.Value)
            && selector.List("matchExpressions").All(e =>
            {
                var has = labels.TryGetValue(e.Scalar("key")!, out var v);
                var values = e.List("values").Select(x => x.Value).ToList();
                return e.Scalar("operator") switch
                {
                    "In" => has && values.Contains(v),
                    "NotIn" => !has || !values.Contains(v),
                    "Exists" => has,
                    "DoesNotExist" => !has,
                    var op => throw new InvalidOperationException($"unknown selector operator {op}"),
                };
            });
    }

    private static bool Contains(string cidr, IPAddress address) =>
        IPNetwork.Parse(cidr) is var network && network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address);
}
