using System.Diagnostics;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Deployment.Support;

/// <summary>Runs a command-line tool (kubectl, dotnet msbuild) to completion within a timeout.</summary>
public static class Tool
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>Returns stdout; fails the test with stderr when the tool exits non-zero.</summary>
    public static async Task<string> RunAsync(string fileName, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var result = await TryRunAsync(fileName, arguments, workingDirectory);
        Assert.True(result.ExitCode == 0, $"{fileName} {string.Join(' ', arguments)} failed ({result.ExitCode}):\n{result.Error}{result.Output}");
        return result.Output;
    }

    public static async Task<(int ExitCode, string Output, string Error)> TryRunAsync(string fileName, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var startInfo = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = workingDirectory ?? RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {fileName}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {Timeout.TotalSeconds:0} s");
        }

        return (process.ExitCode, await output, await error);
    }
}
