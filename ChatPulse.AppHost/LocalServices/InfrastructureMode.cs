using System.Diagnostics;

namespace ChatPulse.AppHost.LocalServices;

/// <summary>How the AppHost provides Postgres and Redis in run mode.</summary>
public enum InfrastructureMode
{
    /// <summary>Containers when a container runtime answers, local processes otherwise.</summary>
    Auto,
    Containers,
    Processes,
}

public static class InfrastructureModeSelector
{
    /// <summary>The one setting that overrides the automatic choice: <c>ChatPulse:Infrastructure</c> (auto | containers | processes).</summary>
    public const string SettingName = "ChatPulse:Infrastructure";

    public static InfrastructureMode Resolve(IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return InfrastructureMode.Containers; // Aspirate reads containers; executables never reach the manifest.
        }

        var configured = builder.Configuration[SettingName];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (!Enum.TryParse<InfrastructureMode>(configured, ignoreCase: true, out var mode))
            {
                throw new InvalidOperationException($"{SettingName} must be auto, containers or processes (was '{configured}').");
            }

            if (mode != InfrastructureMode.Auto)
            {
                return mode;
            }
        }

        return ContainerRuntimeAnswers(builder.Configuration["ASPIRE_CONTAINER_RUNTIME"] ?? "docker")
            ? InfrastructureMode.Containers
            : InfrastructureMode.Processes;
    }

    /// <summary>True when the container runtime's daemon answers within a few seconds.</summary>
    private static bool ContainerRuntimeAnswers(string runtime)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (process is null)
            {
                return false;
            }

            if (!process.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // not installed
        }
    }
}
