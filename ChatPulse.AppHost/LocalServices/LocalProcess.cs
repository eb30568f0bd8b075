using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ChatPulse.AppHost.LocalServices;

/// <summary>Small helpers for running infrastructure as local processes.</summary>
internal static class LocalProcess
{
    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>A port that is free right now on the loopback interface.</summary>
    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// The command and leading arguments that run <paramref name="program"/> as <paramref name="user"/>
    /// when the AppHost is root. setpriv replaces itself with the program (no extra parent process), so the
    /// stop signal reaches the program directly, and --pdeathsig stops it if the AppHost dies.
    /// </summary>
    public static (string Command, string[] Prefix) AsUser(string program, string? user, string deathSignal)
    {
        if (user is null)
        {
            return (program, []);
        }

        return ("setpriv", [$"--reuid={user}", $"--regid={user}", "--init-groups", $"--pdeathsig={deathSignal}", "--", program]);
    }

    public static void Run(string command, IEnumerable<string> args, TimeSpan timeout)
    {
        var startInfo = new ProcessStartInfo(command, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {command}.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} did not finish within {timeout.TotalSeconds:0} s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', args)} failed ({process.ExitCode}): {stderr.Result}{stdout.Result}");
        }
    }

    /// <summary>Finds a program on PATH.</summary>
    public static string? OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}
