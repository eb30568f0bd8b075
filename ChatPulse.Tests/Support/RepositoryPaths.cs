namespace ChatPulse.Tests.Support;

/// <summary>Paths inside the repository, found from the test assembly's location.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Shared => Path.Combine(Root, "..", "shared");

#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    /// <summary>The API as built next to the tests (same configuration).</summary>
    public static string ApiAssembly => Path.Combine(Root, "ChatPulse.Api", "bin", Configuration, "net10.0", "ChatPulse.Api.dll");

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
