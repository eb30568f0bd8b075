using ChatPulse.Tests.Deployment.Support;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Deployment;

/// <summary>
/// `kubectl kustomize k8s` renders every object and setting of the deployment guide over aspirate-output/, and each of
/// the guide's files also applies on its own.
/// </summary>
public sealed class KubernetesLayerTests
{
    public static TheoryData<string> GuideFiles() => new(DeploymentGuide.Objects.Select(o => o.File).Where(f => f != "secret.yaml"));

    [Theory]
    [MemberData(nameof(GuideFiles))]
    public async Task Guide_object_is_rendered_with_every_setting(string file)
    {
        var guide = DeploymentGuide.Object(file);
        var rendered = KubernetesLayer.Routes.Contains(file)
            ? await KubernetesLayer.RenderAsync(file, KubernetesLayer.InCluster)
            : await KubernetesLayer.RenderAsync();

        var actual = rendered.Single(guide.Kind, guide.Name);
        Assert.Equal(guide.ApiVersion, actual.ApiVersion);
        Assert.Null(Coverage.FirstMissing(guide, actual, []));
    }

    [Theory]
    [MemberData(nameof(GuideFiles))]
    public void Guide_file_is_whole_and_applies_on_its_own(string file)
    {
        var path = Path.Combine(RepositoryPaths.Kubernetes, file);
        var own = Rendered.Parse(File.ReadAllText(path));

        var single = Assert.Single(own.Objects);
        Assert.Equal("chatpulse", single.Namespace ?? (single.Kind == "Namespace" ? "chatpulse" : null));
        Assert.Null(Coverage.FirstMissing(DeploymentGuide.Object(file), single, []));
        Assert.Empty(KubernetesSchema.Errors(own));
    }

    [Fact]
    public void Every_file_of_the_guides_apply_order_exists()
    {
        var order = DeploymentGuide.ApplyOrder;

        Assert.Equal(["namespace.yaml", "configmap.yaml", "secret.yaml", "deployment.yaml", "service.yaml", "ingress-nginx.yaml", "hpa.yaml", "pdb.yaml", "servicemonitor.yaml"], order);
        Assert.All(order.Append(KubernetesLayer.Alb).Append(KubernetesLayer.Traefik),
            file => Assert.True(File.Exists(Path.Combine(RepositoryPaths.Kubernetes, file)), file));
    }

    [Fact]
    public async Task Deployment_and_service_files_are_what_aspirate_output_has()
    {
        // Laid over Aspirate's objects they change nothing; they exist whole for the guide's file-by-file apply.
        var generated = await Rendered.KustomizeAsync(RepositoryPaths.AspirateOutput);
        foreach (var (file, kind) in new[] { ("deployment.yaml", "Deployment"), ("service.yaml", "Service") })
        {
            var own = Rendered.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Kubernetes, file))).Objects.Single();
            var aspirate = generated.Single(kind, "chatpulse");
            Assert.Null(Coverage.FirstMissing(own, aspirate, []));
            Assert.Null(Coverage.FirstMissing(aspirate, own, []));
        }
    }

    [Fact]
    public async Task Guide_settings_survive_regenerating_with_aspirates_built_in_deployment_template()
    {
        // What Aspirate writes without the project's templates: one replica, Recreate, no probes, no resources.
        const string builtIn = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: chatpulse
              labels:
                app: chatpulse
            spec:
              minReadySeconds: 60
              replicas: 1
              selector:
                matchLabels:
                  app: chatpulse
              strategy:
                type: Recreate
              template:
                metadata:
                  labels:
                    app: chatpulse
                spec:
                  containers:
                  - name: chatpulse
                    image: ghcr.io/pscheid92/chatpulse:latest
                    imagePullPolicy: Always
                    ports:
                    - name: http
                      containerPort: 8080
                    envFrom:
                    - configMapRef:
                        name: chatpulse-env
                  terminationGracePeriodSeconds: 180
            """;
        var rendered = await KubernetesLayer.RenderAsync(KubernetesLayer.Nginx, KubernetesLayer.InCluster,
            new Dictionary<string, string> { ["aspirate-output/chatpulse/deployment.yaml"] = builtIn });

        // kustomize's merge drops `protocol: TCP` from the port it merges; TCP is what the API server defaults to.
        Assert.Null(Coverage.FirstMissing(DeploymentGuide.Object("deployment.yaml"), rendered.Single("Deployment", "chatpulse"),
            ["spec.template.spec.containers[].ports[].protocol"]));
        // and so does the restricted pod (k8s/deployment.yaml carries it whole)
        Assert.Empty(PodSecurityStandard.Violations(rendered.Single("Deployment", "chatpulse")));
    }

    [Fact]
    public async Task The_deployment_runs_the_image_the_api_project_publishes()
    {
        var image = await ContainerImage.OfApiAsync();
        var rendered = await KubernetesLayer.RenderAsync();

        var container = rendered.Single("Deployment", "chatpulse").Containers().Single();
        Assert.Equal(image.FullName, container.Scalar("image"));
        Assert.Equal("ghcr.io/pscheid92/chatpulse:latest", image.FullName); // as the guide runs it
    }

    [Fact]
    public async Task Shutdown_fits_the_grace_period()
    {
        var rendered = await KubernetesLayer.RenderAsync();
        var pod = rendered.Single("Deployment", "chatpulse").Get("spec.template.spec")!;
        var config = rendered.Single("ConfigMap", "chatpulse-config");

        var grace = TimeSpan.FromSeconds(int.Parse(pod.Scalar("terminationGracePeriodSeconds")!));
        var preStop = pod.List("containers").Single().List("lifecycle", "preStop", "exec", "command");
        Assert.Equal(["/bin/sh", "-c", "sleep 15"], preStop.Select(c => c.Value));
        Assert.True(Api.Infrastructure.Settings.Durations.TryParse(config.Scalar("data.SHUTDOWN_TIMEOUT"), out var shutdown));
        Assert.True(TimeSpan.FromSeconds(15) + shutdown < grace, $"preStop 15 s + SHUTDOWN_TIMEOUT {shutdown} must end before {grace}");
    }

    [Fact]
    public async Task The_ingress_pods_are_trusted_proxies_so_rate_limits_see_clients()
    {
        var rendered = await KubernetesLayer.RenderAsync();
        var config = rendered.Single("ConfigMap", "chatpulse-config");

        var networks = Api.Infrastructure.Settings.AppOptions.ParseNetworks(config.Scalar("data.TRUSTED_PROXIES") ?? "", out var invalid);

        Assert.Null(invalid);
        Assert.Contains(networks, n => n.Contains(System.Net.IPAddress.Parse("10.244.1.17"))); // a typical pod address
    }

    [Fact]
    public async Task No_secret_is_rendered_and_the_secret_template_holds_only_placeholders()
    {
        foreach (var (route, data) in KubernetesLayer.Choices())
        {
            var rendered = await KubernetesLayer.RenderAsync(route, data);
            Assert.Empty(rendered.OfKind("Secret"));
        }

        var template = Rendered.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Kubernetes, "secret.yaml"))).Objects.Single();
        var guide = DeploymentGuide.Object("secret.yaml");
        Assert.Equal("chatpulse-secrets", template.Name);
        Assert.Equal("chatpulse", template.Namespace);
        Assert.Equal("Opaque", template.Scalar("type"));
        Assert.Empty(KubernetesSchema.Errors(template));
        var values = template.Map("stringData");
        Assert.Superset(guide.Map("stringData").Keys.ToHashSet(), values.Keys.ToHashSet());
        foreach (var (key, value) in values)
        {
            var placeholder = guide.Scalar("stringData", key) == value.Value || value.Value!.Contains("CHANGE-ME", StringComparison.Ordinal);
            Assert.True(placeholder, $"{key} must be the guide's placeholder or contain CHANGE-ME");
        }
    }

    [Fact]
    public async Task In_cluster_postgres_and_redis_take_their_passwords_from_the_secret()
    {
        var rendered = await KubernetesLayer.RenderAsync();

        foreach (var (kind, name, variable) in new[] { ("StatefulSet", "postgres", "POSTGRES_PASSWORD"), ("Deployment", "redis", "REDIS_PASSWORD") })
        {
            var env = rendered.Single(kind, name).Containers().Single().List("env").Single(e => e.Scalar("name") == variable);
            Assert.Equal("chatpulse-secrets", env.Scalar("valueFrom.secretKeyRef.name"));
            Assert.Equal(variable, env.Scalar("valueFrom.secretKeyRef.key"));
        }

        // The API's URLs name the services Aspirate generates, with TLS for Postgres (production refuses less).
        var secret = Rendered.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Kubernetes, "secret.yaml"))).Objects.Single();
        Assert.Contains("@postgres.chatpulse.svc.cluster.local:5432/", secret.Scalar("stringData.DATABASE_URL"));
        Assert.EndsWith("sslmode=require", secret.Scalar("stringData.DATABASE_URL"));
        Assert.Contains("@redis.chatpulse.svc.cluster.local:6379", secret.Scalar("stringData.REDIS_URL"));
        Assert.Contains("ssl=on", rendered.Single("StatefulSet", "postgres").Containers().Single().List("args").Select(a => a.Value));
    }

    [Fact]
    public async Task External_data_drops_in_cluster_postgres_and_redis()
    {
        var rendered = await KubernetesLayer.RenderAsync(KubernetesLayer.Nginx, KubernetesLayer.External);

        Assert.DoesNotContain(rendered.Objects, o => o.Name.StartsWith("postgres", StringComparison.Ordinal) || o.Name.StartsWith("redis", StringComparison.Ordinal));
        Assert.Single(rendered.OfKind("Deployment"), d => d.Name == "chatpulse");
    }

    [Theory]
    [InlineData(KubernetesLayer.Nginx, "Ingress")]
    [InlineData(KubernetesLayer.Alb, "Ingress")]
    [InlineData(KubernetesLayer.Traefik, "IngressRoute")]
    public async Task Each_route_renders_alone(string route, string kind)
    {
        var rendered = await KubernetesLayer.RenderAsync(route, KubernetesLayer.InCluster);

        var routes = rendered.Objects.Where(o => o.Kind is "Ingress" or "IngressRoute").ToList();
        Assert.Equal(kind, Assert.Single(routes).Kind);
        Assert.Equal("chatpulse", routes[0].Name);
    }
}
