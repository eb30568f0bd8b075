using System.Reflection;

namespace ChatPulse.Api.Platform;

public static class VersionEndpoints
{
    public sealed record VersionResponse(string Version, string Commit);

    private static readonly VersionResponse Current = Read();

    public static IEndpointRouteBuilder MapVersion(this IEndpointRouteBuilder app)
    {
        app.MapGet("/version", () => TypedResults.Ok(Current)).WithName("GetVersion");
        return app;
    }

    /// <summary>The SDK stamps "1.2.3+commitsha" into the informational version from git.</summary>
    private static VersionResponse Read()
    {
        var informational = typeof(VersionEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var parts = informational.Split('+', 2);
        var commit = Environment.GetEnvironmentVariable("CHATPULSE_COMMIT") is { Length: > 0 } fromEnv ? fromEnv
            : parts.Length == 2 ? parts[1] : "unknown";
        return new VersionResponse(parts[0], commit);
    }
}
