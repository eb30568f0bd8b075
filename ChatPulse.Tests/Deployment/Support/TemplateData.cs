namespace ChatPulse.Tests.Deployment.Support;

/// <summary>
/// The data Aspirate hands each Handlebars template (its <c>KubernetesDeploymentData</c>): the same member names, so
/// <c>{{containerImage}}</c>, <c>{{#if isProject}}</c> … resolve here as they do in Aspirate.
/// </summary>
public sealed class TemplateData
{
    public string? Name { get; init; }
    public string? Namespace { get; init; }
    public Dictionary<string, string?> Env { get; init; } = [];
    public Dictionary<string, string?> Secrets { get; init; } = [];
    public Dictionary<string, string> Annotations { get; init; } = [];
    public IReadOnlyList<VolumeData> Volumes { get; init; } = [];
    public IReadOnlyList<PortData> Ports { get; init; } = [];
    public IReadOnlyList<string> Manifests { get; init; } = [];
    public IReadOnlyList<string> Args { get; init; } = [];
    public bool? IsProject { get; init; }
    public bool? WithPrivateRegistry { get; init; } = false;
    public bool? WithDashboard { get; init; } = false;
    public string? ContainerImage { get; init; }
    public string? Entrypoint { get; init; }
    public string? ImagePullPolicy { get; init; }
    public string? ServiceType { get; init; } = "ClusterIP";

    public bool HasPorts => Ports.Count > 0;
    public bool HasVolumes => Volumes.Count > 0;
    public bool HasAnySecrets => Secrets.Count > 0;
    public bool HasAnyAnnotations => Annotations.Count > 0;
    public bool HasArgs => Args.Count > 0;
    public bool HasAnyEnv => Env.Count > 0;
    public bool WithNamespace => !string.IsNullOrWhiteSpace(Namespace);
}

/// <summary>A binding: <c>internalPort</c> is the target port (the container's), <c>externalPort</c> the binding's port (0 when unset).</summary>
public sealed record PortData(string Name, int InternalPort, int ExternalPort);

public sealed record VolumeData(string Name, string Target, bool ReadOnly);
