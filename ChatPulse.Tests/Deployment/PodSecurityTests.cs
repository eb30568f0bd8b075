using ChatPulse.Tests.Deployment.Support;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Deployment;

/// <summary>
/// Every pod rendered (aspirate-output/ alone, k8s/ with each route and data choice) passes the "restricted" Pod
/// Security Standard the namespace enforces, runs read-only as its image's non-root user, and carries no token.
/// </summary>
public sealed class PodSecurityTests
{
    public static TheoryData<string, string> Choices() => KubernetesLayer.ChoiceData();

    [Fact]
    public async Task Aspirate_output_pods_pass_the_restricted_standard()
    {
        var rendered = await Rendered.KustomizeAsync(RepositoryPaths.AspirateOutput);

        Assert.Equal(["chatpulse", "postgres", "redis"], rendered.Workloads().Select(w => w.Name).Order());
        Assert.All(rendered.Workloads(), w => Assert.Empty(PodSecurityStandard.Violations(w)));
    }

    [Theory]
    [MemberData(nameof(Choices))]
    public async Task Every_rendered_pod_passes_the_restricted_standard(string route, string data)
    {
        var rendered = await KubernetesLayer.RenderAsync(route, data);

        Assert.NotEmpty(rendered.Workloads());
        Assert.All(rendered.Workloads(), w => Assert.Empty(PodSecurityStandard.Violations(w)));
    }

    [Theory]
    [InlineData("deployment.yaml")]
    [InlineData("namespace.yaml")]
    public void The_guides_files_applied_one_by_one_are_restricted_too(string file)
    {
        var own = Rendered.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Kubernetes, file))).Objects.Single();

        if (own.Kind == "Namespace")
        {
            Assert.Equal("restricted", own.Scalar("metadata", "labels", "pod-security.kubernetes.io/enforce"));
        }
        else
        {
            Assert.Empty(PodSecurityStandard.Violations(own));
        }
    }

    [Fact]
    public async Task The_namespace_enforces_warns_and_audits_restricted()
    {
        foreach (var rendered in new[] { await KubernetesLayer.RenderAsync(), await Rendered.KustomizeAsync(RepositoryPaths.AspirateOutput) })
        {
            var labels = rendered.Single("Namespace", "chatpulse").Map("metadata.labels");
            foreach (var mode in new[] { "enforce", "warn", "audit" })
            {
                Assert.Equal("restricted", labels[$"pod-security.kubernetes.io/{mode}"].Value);
            }
        }
    }

    [Fact]
    public async Task Pods_run_as_their_images_users_with_a_read_only_root_and_no_service_account_token()
    {
        var image = await ContainerImage.OfApiAsync();
        var rendered = await KubernetesLayer.RenderAsync();
        // The images' own users: the .NET image's "app" (ContainerUser), the Redis and Postgres images' uid 999.
        var users = new Dictionary<string, string> { ["chatpulse"] = image.User, ["redis"] = "999", ["postgres"] = "999" };

        foreach (var workload in rendered.Workloads())
        {
            var pod = workload.Get("spec.template.spec")!;
            Assert.Equal("false", pod.Scalar("automountServiceAccountToken"));
            Assert.Equal(users[workload.Name], pod.Scalar("securityContext.runAsUser"));
            Assert.Equal(users[workload.Name], pod.Scalar("securityContext.fsGroup"));
            Assert.All(workload.Containers(), c => Assert.Equal("true", c.Scalar("securityContext.readOnlyRootFilesystem")));
            // Whatever the process must write goes to an emptyDir (or Postgres's volume), never the image.
            var emptyDirs = pod.List("volumes").Where(v => v.Get("emptyDir") is not null).Select(v => v.Scalar("name")).ToHashSet();
            Assert.NotEmpty(emptyDirs);
            Assert.All(emptyDirs, name => Assert.Contains(workload.Containers().Single().List("volumeMounts"), m => m.Scalar("name") == name));
        }
    }

    [Fact]
    public async Task Redis_and_postgres_have_probes_and_resources()
    {
        var rendered = await KubernetesLayer.RenderAsync();

        foreach (var name in new[] { "redis", "postgres" })
        {
            var container = rendered.Workloads().Single(w => w.Name == name).Containers().Single();
            Assert.NotNull(container.Get("readinessProbe"));
            Assert.NotNull(container.Get("livenessProbe"));
            Assert.All(new[] { "requests.cpu", "requests.memory", "limits.cpu", "limits.memory" },
                r => Assert.NotNull(container.Scalar($"resources.{r}")));
        }
    }

    private const string Pod = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  selector:\n    matchLabels:\n      app: x\n  template:\n    metadata:\n      labels:\n        app: x\n    spec:\n";
    private const string Safe = "      securityContext:\n        runAsNonRoot: true\n        seccompProfile:\n          type: RuntimeDefault\n";
    private const string Container = "      - name: x\n        image: x\n";
    private const string SafeContainer = "        securityContext:\n          allowPrivilegeEscalation: false\n          capabilities:\n            drop: [ALL]\n";

    [Theory]
    [InlineData(Pod + Safe + "      containers:\n" + Container + SafeContainer, 0)]
    [InlineData(Pod + "      hostNetwork: true\n" + Safe + "      containers:\n" + Container + SafeContainer, 1)]
    [InlineData(Pod + Safe + "      volumes:\n      - name: h\n        hostPath:\n          path: /\n      containers:\n" + Container + SafeContainer, 2)]
    [InlineData(Pod + Safe + "      containers:\n" + Container + "        securityContext:\n          allowPrivilegeEscalation: false\n          privileged: true\n          capabilities:\n            drop: [ALL]\n", 1)]
    [InlineData(Pod + Safe + "      containers:\n" + Container + "        securityContext:\n          allowPrivilegeEscalation: false\n          capabilities:\n            drop: [ALL]\n            add: [NET_ADMIN]\n", 1)]
    [InlineData(Pod + Safe + "      containers:\n" + Container + "        securityContext:\n          capabilities:\n            drop: [ALL]\n", 1)]
    [InlineData(Pod + "      securityContext:\n        seccompProfile:\n          type: RuntimeDefault\n      containers:\n" + Container + SafeContainer, 1)]
    [InlineData(Pod + Safe + "      containers:\n" + Container + "        securityContext:\n          runAsUser: 0\n          allowPrivilegeEscalation: false\n          capabilities:\n            drop: [ALL]\n", 1)]
    [InlineData(Pod + "      securityContext:\n        runAsNonRoot: true\n        seccompProfile:\n          type: Unconfined\n      containers:\n" + Container + SafeContainer, 1)]
    [InlineData(Pod + Safe + "      containers:\n" + Container + "        ports:\n        - containerPort: 80\n          hostPort: 80\n" + SafeContainer, 1)]
    [InlineData(Pod + Safe + "      initContainers:\n" + Container + "      containers:\n" + Container + SafeContainer, 2)]
    public void The_check_finds_each_control_a_pod_breaks(string yaml, int violations)
    {
        var workload = Rendered.Parse(yaml).Objects.Single();

        Assert.Equal(violations, PodSecurityStandard.Violations(workload).Count);
    }
}
