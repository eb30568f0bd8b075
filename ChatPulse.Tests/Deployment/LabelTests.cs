using ChatPulse.Tests.Deployment.Support;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Deployment;

/// <summary>Every object carries the recommended app.kubernetes.io labels; selectors stay the guide's <c>app:</c>.</summary>
public sealed class LabelTests
{
    private static readonly string[] Recommended =
        ["app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/version", "app.kubernetes.io/component", "app.kubernetes.io/part-of"];

    public static TheoryData<string, string> Choices() => KubernetesLayer.ChoiceData();

    [Theory]
    [MemberData(nameof(Choices))]
    public async Task Every_rendered_object_and_pod_has_the_recommended_labels(string route, string data)
    {
        var image = await ContainerImage.OfApiAsync();
        var rendered = await KubernetesLayer.RenderAsync(route, data);
        var generated = await Rendered.KustomizeAsync(RepositoryPaths.AspirateOutput);

        foreach (var item in rendered.Objects.Concat(generated.Objects))
        {
            var labels = item.Map("metadata.labels");
            Assert.All(Recommended, key => Assert.True(labels.ContainsKey(key), $"{item} has no {key}"));
            Assert.Equal("chatpulse", labels["app.kubernetes.io/part-of"].Value);
        }

        foreach (var workload in rendered.Workloads())
        {
            var pod = workload.Map("spec.template.metadata.labels");
            Assert.All(Recommended, key => Assert.True(pod.ContainsKey(key), $"{workload}'s pods have no {key}"));
            Assert.Equal(["app"], workload.Map("spec.selector.matchLabels").Keys);
            // The version is the image's: the API's release, the data services' image tags.
            var tag = workload.Containers().Single().Scalar("image")!.Split(':')[^1];
            Assert.Equal(workload.Name == "chatpulse" ? image.Tags[1] : tag, workload.Scalar("metadata", "labels", "app.kubernetes.io/version"));
        }

        Assert.All(new[] { "Service", "PodDisruptionBudget" }.SelectMany(rendered.OfKind),
            o => Assert.Equal(["app"], (o.Kind == "Service" ? o.Map("spec.selector") : o.Map("spec.selector.matchLabels")).Keys));
    }
}
