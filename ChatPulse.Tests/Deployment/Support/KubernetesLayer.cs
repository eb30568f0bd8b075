using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Deployment.Support;

/// <summary>
/// k8s/ rendered as <c>kubectl kustomize k8s</c> does, or with one of the choices its kustomization.yaml offers (the
/// route, external data) made the way docs/deploy-kubernetes.md says: by swapping one line, here in a copy beside aspirate-output/.
/// </summary>
public static class KubernetesLayer
{
    public const string Nginx = "ingress-nginx.yaml";
    public const string Alb = "ingress-alb.yaml";
    public const string Traefik = "ingressroute-traefik.yaml";
    public const string InCluster = "data/in-cluster";
    public const string External = "data/external";

    public static readonly string[] Routes = [Nginx, Alb, Traefik];

    /// <summary>The network policy that lets a route's controller reach the pods; it is swapped with the route.</summary>
    public static string PolicyOf(string route) => route switch
    {
        Nginx => "networkpolicies/from-ingress-nginx.yaml",
        Alb => "networkpolicies/from-alb.yaml",
        Traefik => "networkpolicies/from-traefik.yaml",
        _ => throw new ArgumentOutOfRangeException(nameof(route), route, "no such route"),
    };

    public static Task<Rendered> RenderAsync() => Rendered.KustomizeAsync(RepositoryPaths.Kubernetes);

    /// <summary>The route (and its policy) and the data choice swapped in a copy, as docs/deploy-kubernetes.md says.</summary>
    /// <param name="replace">Optional changes to the copied files, by path relative to the copy's root.</param>
    public static async Task<Rendered> RenderAsync(string route, string data, IReadOnlyDictionary<string, string>? replace = null)
    {
        var root = Path.Combine(Path.GetTempPath(), $"chatpulse-k8s-{Guid.NewGuid():N}");
        try
        {
            Copy(RepositoryPaths.Kubernetes, Path.Combine(root, "k8s"));
            Copy(RepositoryPaths.AspirateOutput, Path.Combine(root, "aspirate-output"));
            var kustomization = Path.Combine(root, "k8s", "kustomization.yaml");
            var text = Swap(Swap(File.ReadAllText(kustomization), Nginx, route), PolicyOf(Nginx), PolicyOf(route));
            File.WriteAllText(kustomization, Swap(text, InCluster, data));
            foreach (var (path, content) in replace ?? new Dictionary<string, string>())
            {
                File.WriteAllText(Path.Combine(root, path), content);
            }

            return await Rendered.KustomizeAsync(Path.Combine(root, "k8s"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Every route × data choice, for checks that must hold whatever the operator picks.</summary>
    public static IEnumerable<(string Route, string Data)> Choices() =>
        Routes.Select(r => (r, InCluster)).Append((Nginx, External));

    /// <summary><see cref="Choices"/> for <c>[MemberData]</c>.</summary>
    public static TheoryData<string, string> ChoiceData()
    {
        var data = new TheoryData<string, string>();
        foreach (var (route, choice) in Choices())
        {
            data.Add(route, choice);
        }

        return data;
    }

    /// <summary>TRUSTED_PROXIES as k8s/configmap.yaml ships it.</summary>
    public static string ShippedTrustedProxies() =>
        Rendered.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Kubernetes, "configmap.yaml"))).Objects.Single()
            .Scalar("data", "TRUSTED_PROXIES")!;

    private static string Swap(string kustomization, string from, string to)
    {
        var line = $"\n- {from}\n";
        Assert.Contains(line, kustomization);
        return kustomization.Replace(line, $"\n- {to}\n");
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
