namespace ChatPulse.Tests.Support;

/// <summary>Paths inside the repository, found from the test assembly's location.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    /// <summary>The API as built next to the tests (same configuration).</summary>
    public static string ApiAssembly => Path.Combine(Root, "ChatPulse.Api", "bin", Configuration, "net10.0", "ChatPulse.Api.dll");

    public static string ApiProject => Path.Combine(Root, "ChatPulse.Api", "ChatPulse.Api.csproj");

    public static string AppHostDirectory => Path.Combine(Root, "ChatPulse.AppHost");

    /// <summary>What Aspirate generates (committed), and the production layer over it.</summary>
    public static string AspirateOutput => Path.Combine(Root, "aspirate-output");

    public static string Kubernetes => Path.Combine(Root, "k8s");

    /// <summary>The deployment guide every Kubernetes object and setting comes from.</summary>
    public static string KubernetesGuide => Path.Combine(Root, "docs", "deployment-guide.md");

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ChatPulse.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("ChatPulse.sln not found above the test assembly.");
    }
}
