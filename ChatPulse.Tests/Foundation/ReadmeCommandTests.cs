using System.Text.RegularExpressions;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Foundation;

/// <summary>The README's two commands are the real ones: run names the AppHost project, test is what CI runs.</summary>
public sealed class ReadmeCommandTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));

    [Fact]
    public void The_run_command_starts_the_apphost_project()
    {
        var command = CommandUnder("Run");

        Assert.Equal("dotnet run --project ChatPulse.AppHost", command);
        Assert.True(File.Exists(Path.Combine(RepositoryPaths.AppHostDirectory, "ChatPulse.AppHost.csproj")));
    }

    [Fact]
    public void The_test_command_is_what_ci_runs()
    {
        var command = CommandUnder("Test");
        var ci = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, ".ci", "run"));

        Assert.Equal("dotnet test ChatPulse.sln", command);
        Assert.Contains(ci, line => !line.TrimStart().StartsWith('#') && line.TrimStart().StartsWith(command + " ", StringComparison.Ordinal));
    }

    /// <summary>The one line of the first bash block under the README's <c>## {section}</c> heading.</summary>
    private static string CommandUnder(string section)
    {
        var match = Regex.Match(Readme, $@"^## {Regex.Escape(section)}\n\n```bash\n(?<command>[^\n]+)\n```", RegexOptions.Multiline);
        Assert.True(match.Success, $"README has no bash block right under \"## {section}\"");
        return match.Groups["command"].Value.Trim();
    }
}
