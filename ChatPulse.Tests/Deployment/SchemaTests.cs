using ChatPulse.Tests.Deployment.Support;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Deployment;

/// <summary>Everything rendered is valid for the Kubernetes API, whichever route and data choice the operator makes.</summary>
public sealed class SchemaTests
{
    public static TheoryData<string, string> Choices() => KubernetesLayer.ChoiceData();

    [Theory]
    [MemberData(nameof(Choices))]
    public async Task Every_rendered_object_matches_its_schema(string route, string data)
    {
        var rendered = await KubernetesLayer.RenderAsync(route, data);

        Assert.NotEmpty(rendered.Objects);
        Assert.Empty(KubernetesSchema.Errors(rendered));
    }

    [Fact]
    public async Task Aspirate_output_alone_matches_its_schema()
    {
        var rendered = await Rendered.KustomizeAsync(RepositoryPaths.AspirateOutput);

        Assert.Empty(KubernetesSchema.Errors(rendered));
    }

    [Theory]
    [InlineData("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replicas: three\n")]
    [InlineData("apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  portz: []\n")]
    [InlineData("apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: x\nspec:\n  selector: {}\n  endpoints:\n  - port: http\n    intervall: 30s\n")]
    [InlineData("apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: x\nspec:\n  selector: {}\n  endpoints:\n  - port: http\n    interval: half a minute\n")]
    [InlineData("apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: x\nspec:\n  groups:\n  - name: g\n    rules:\n    - alert: A\n      expression: up == 0\n")]
    [InlineData("apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: x\nspec:\n  groups:\n  - name: g\n    rules:\n    - alert: A\n      expr: up == 0\n      for: ten minutes\n")]
    [InlineData("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: x\nspec:\n  podSelector: {}\n  ingress:\n  - from:\n    - podSelectors: {}\n")]
    [InlineData("apiVersion: traefik.containo.us/v1alpha1\nkind: IngressRoute\nmetadata:\n  name: x\nspec:\n  routes:\n  - match: Host(`a`)\n    kind: Route\n")]
    [InlineData("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  selector:\n    matchLabels:\n      app: x\n  template:\n    metadata:\n      labels:\n        app: y\n    spec:\n      containers:\n      - name: x\n        image: x\n")]
    [InlineData("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  selector:\n    matchLabels:\n      app: x\n  template:\n    metadata:\n      labels:\n        app: x\n    spec:\n      containers:\n      - name: x\n        image: x\n        readinessProbe:\n          httpGet:\n            path: /\n            port: web\n")]
    public void The_check_rejects_what_the_api_server_would(string yaml)
    {
        Assert.NotEmpty(KubernetesSchema.Errors(Rendered.Parse(yaml)));
    }
}
