using System.Diagnostics;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.LoadTool;

/// <summary>The load tool as built next to the tests, run as its own process: exit code, stdout and stderr.</summary>
internal static class LoadToolProcess
{
    public sealed record Result(int ExitCode, string Output, string Error);

    private static string Assembly => Path.Combine(RepositoryPaths.Root, "ChatPulse.LoadTest", "bin", RepositoryPaths.Configuration, "net10.0", "ChatPulse.LoadTest.dll");

    public static async Task<Result> RunAsync(TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Assembly, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the load tool");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true); // the tool's API, Postgres and Redis go with it
            await process.WaitForExitAsync();
            throw new TimeoutException($"the load tool ({string.Join(' ', args)}) did not finish within {timeout}:\n{await error}");
        }

        return new Result(process.ExitCode, await output, await error);
    }
}
