using System.Text.Json;
using ChatPulse.Tests.Deployment.Support;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Deployment;

/// <summary>
/// aspirate-output/ is what <see cref="AspirateGenerator.Command"/> writes from the AppHost's manifest with the
/// project's templates, and nothing in it is stale or secret.
/// </summary>
public sealed class AspirateOutputTests
{
    /// <summary>Set to 1 to rewrite aspirate-output/ from the current manifest and templates (as running Aspirate would).</summary>
    private const string UpdateVariable = "CHATPULSE_UPDATE_ASPIRATE_OUTPUT";

    [Fact]
    public async Task Committed_output_is_what_aspirate_generate_writes_from_the_published_manifest()
    {
        var resources = await PublishedManifest.ResourcesAsync();
        var image = await ContainerImage.OfApiAsync();
        var expected = AspirateGenerator.Generate(resources, image.FullName, TemplateDirectory());

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Write(expected);
        }

        var committed = Directory.EnumerateFiles(RepositoryPaths.AspirateOutput, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(RepositoryPaths.AspirateOutput, f).Replace('\\', '/'), File.ReadAllText);
        Assert.Equal(expected.Keys, committed.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, content) in expected)
        {
            Assert.True(content == committed[path],
                $"aspirate-output/{path} differs from what Aspirate writes (run the tests with {UpdateVariable}=1, or `{AspirateGenerator.Command}`):\n{FirstDifference(content, committed[path])}");
        }
    }

    [Fact]
    public async Task Every_resource_image_port_and_variable_of_the_manifest_is_in_the_output_and_nothing_else()
    {
        var resources = await PublishedManifest.ResourcesAsync();
        var image = await ContainerImage.OfApiAsync();
        var rendered = await Rendered.KustomizeAsync(RepositoryPaths.AspirateOutput);

        var deployable = AspirateGenerator.Deployable(resources);
        Assert.Equal(deployable.Select(r => r.Name).Order(), rendered.Workloads().Select(w => w.Name).Order());
        Assert.Equal(deployable.Select(r => r.Name).Order(), rendered.OfKind("Service").Select(s => s.Name).Order());
        Assert.Equal(
            Directory.EnumerateDirectories(RepositoryPaths.AspirateOutput).Select(Path.GetFileName).Order(),
            deployable.Select(r => r.Name).Order());

        foreach (var resource in deployable)
        {
            var workload = rendered.Workloads().Single(w => w.Name == resource.Name);
            var container = workload.Containers().Single();
            var expectedImage = AspirateGenerator.IsProject(resource.Value) ? image.FullName : resource.Value.GetProperty("image").GetString();
            Assert.Equal(expectedImage, container.Scalar("image"));

            var data = AspirateGenerator.DataFor(resource, resources, image.FullName);
            var service = rendered.Single("Service", resource.Name);
            foreach (var port in data.Ports)
            {
                Assert.Contains(container.List("ports"), p => p.Scalar("name") == port.Name && p.Scalar("containerPort") == port.InternalPort.ToString());
                Assert.Contains(service.List("spec.ports"), p => p.Scalar("name") == port.Name
                    && p.Scalar("port") == (port.ExternalPort != 0 ? port.ExternalPort : port.InternalPort).ToString());
            }

            Assert.Equal(data.Args, container.List("args").Select(a => a.Value));
            if (resource.Value.TryGetProperty("env", out var env))
            {
                var config = rendered.Single("ConfigMap", $"{resource.Name}-env");
                foreach (var variable in env.EnumerateObject())
                {
                    Assert.Equal(data.Env[variable.Name], config.Scalar($"data.{variable.Name}"));
                }
            }
        }
    }

    [Fact]
    public async Task Nothing_secret_is_generated_so_kustomize_renders_without_aspirate_apply()
    {
        var resources = await PublishedManifest.ResourcesAsync();

        foreach (var resource in AspirateGenerator.Deployable(resources))
        {
            // Resolving fails on a parameter's value: Aspirate would write a generated or given password into the output.
            var data = AspirateGenerator.DataFor(resource, resources, "image");
            Assert.Empty(data.Secrets);
        }

        var rendered = await Rendered.KustomizeAsync(RepositoryPaths.AspirateOutput);
        Assert.Empty(rendered.OfKind("Secret"));
        Assert.Empty(Directory.EnumerateFiles(RepositoryPaths.AspirateOutput, "*.secrets", SearchOption.AllDirectories));
    }

    [Fact]
    public void Aspirate_configuration_names_the_templates_and_the_registry()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.AppHostDirectory, "aspirate.json")));

        // Aspirate renders <TemplatePath>/<type>.hbs and needs all seven, even those this project never emits.
        Assert.Equal(
            ["dapr-component.hbs", "dashboard.hbs", "deployment.hbs", "kustomization.hbs", "namespace.hbs", "service.hbs", "statefulset.hbs"],
            Directory.EnumerateFiles(TemplateDirectory()).Select(Path.GetFileName).Order());
        Assert.Equal("ghcr.io", settings.RootElement.GetProperty("ContainerSettings").GetProperty("Registry").GetString());
    }

    [Fact]
    public void The_deployment_doc_runs_aspirate_as_the_output_was_generated_without_a_secrets_prompt()
    {
        var guide = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "deploy-kubernetes.md"));

        // Aspirate checks its secret store before reading the manifest; non-interactively that prompt exits 1.
        Assert.Contains("--disable-secrets", AspirateGenerator.Command);
        Assert.Contains(AspirateGenerator.Command, guide);
    }

    [Fact]
    public void Container_arguments_are_quoted_strings()
    {
        // Aspirate's own template writes args bare, so `--save 60 1` would become YAML integers.
        var workloads = Directory.EnumerateFiles(RepositoryPaths.AspirateOutput, "*.yaml", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) is "deployment.yaml" or "statefulset.yaml");
        var args = workloads.SelectMany(f => RawYaml.ScalarsUnder(File.ReadAllText(f), "args")).ToList();

        Assert.NotEmpty(args);
        Assert.All(args, a => Assert.Equal(YamlDotNet.Core.ScalarStyle.DoubleQuoted, a.Style));
    }

    internal static string TemplateDirectory()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.AppHostDirectory, "aspirate.json")));
        return Path.Combine(RepositoryPaths.AppHostDirectory, settings.RootElement.GetProperty("TemplatePath").GetString()!);
    }

    private static void Write(IReadOnlyDictionary<string, string> files)
    {
        if (Directory.Exists(RepositoryPaths.AspirateOutput))
        {
            Directory.Delete(RepositoryPaths.AspirateOutput, recursive: true);
        }

        foreach (var (path, content) in files)
        {
            var full = Path.Combine(RepositoryPaths.AspirateOutput, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }
    }

    private static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var left = i < e.Length ? e[i] : "<end>";
            var right = i < a.Length ? a[i] : "<end>";
            if (left != right)
            {
                return $"line {i + 1}: expected `{left}`, committed `{right}`";
            }
        }

        return "(line endings)";
    }
}
