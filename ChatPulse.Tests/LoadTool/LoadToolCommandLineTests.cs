using System.Text.Json;

namespace ChatPulse.Tests.LoadTool;

/// <summary>The load tool's command line, through the real binary: help, one-line errors, and the JSON scripts read.</summary>
public sealed class LoadToolCommandLineTests
{
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(60);

    private static readonly string[] Modes = ["webhook", "overlay-latency", "overlay-capacity", "overlay", "all", "redis-outage"];

    private static readonly string[] Options =
    [
        "--rounds", "--slice", "--concurrency", "--prefill", "--channels", "--any-word", "--poll", "--rates", "--seconds", "--broadcasters", "--sockets-per-broadcaster",
        "--capacity-sockets", "--capacity-broadcasters", "--capacity-hold", "--outage", "--outage-rate", "--outage-broadcasters",
        "--configuration", "--api-env", "--json",
    ];

    [Fact]
    public async Task Help_lists_every_mode_and_option()
    {
        var result = await LoadToolProcess.RunAsync(Quick, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.All(Modes, mode => Assert.Matches($@"(?m)^\s+{mode}\s", result.Output));
        Assert.All(Options, option => Assert.Matches($@"(?m)^\s+{option}\s", result.Output));
    }

    [Theory]
    [InlineData("--rounds", "abc")]
    [InlineData("--concurrency", "0")]
    [InlineData("--channels", "1,x")]
    [InlineData("--rates", "5000,0")]
    [InlineData("--configuration", "Fast")]
    public async Task A_bad_value_is_one_line_naming_its_option_and_exit_code_2(string option, string value)
    {
        var result = await LoadToolProcess.RunAsync(Quick, "webhook", option, value);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains(option, line);
        Assert.Contains(value.Split(',')[^1], line);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task Options_that_cannot_run_together_are_one_line_naming_them()
    {
        var result = await LoadToolProcess.RunAsync(Quick, "--rounds", "20", "--slice", "2", "--channels", "1,1000");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains("--rounds", line);
        Assert.Contains("--slice", line);
    }

    [Fact]
    public async Task Any_word_without_the_single_channel_phases_is_one_line_naming_both_options()
    {
        var result = await LoadToolProcess.RunAsync(Quick, "--any-word", "--channels", "1000");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains("--any-word", line);
        Assert.Contains("--channels", line);
    }

    [Fact]
    public async Task Poll_without_the_single_channel_phases_is_one_line_naming_both_options()
    {
        var result = await LoadToolProcess.RunAsync(Quick, "--poll", "--channels", "1000");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains("--poll", line);
        Assert.Contains("--channels", line);
    }

    [Fact]
    public async Task Json_alone_is_stdouts_only_content_with_every_phase_and_its_figures()
    {
        // A short real run: Postgres, Redis and the API as the tool starts them, one channel (and its any-word twin), three spread ones
        // and the two poll phases, then the timeline's writes over the three.
        var result = await LoadToolProcess.RunAsync(TimeSpan.FromMinutes(10),
            "webhook", "--channels", "1,3", "--rounds", "1", "--slice", "1", "--prefill", "200", "--concurrency", "4", "--any-word", "--poll", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output); // nothing but the JSON: the table went to stderr
        Assert.Contains("votes over 3 channels", result.Error);
        var root = json.RootElement;
        Assert.Equal("webhook", root.GetProperty("mode").GetString());
        Assert.True(root.GetProperty("cores").GetInt32() > 0);
        Assert.Equal(3, root.GetProperty("loadAverage").GetArrayLength());
        var webhook = root.GetProperty("webhook");
        var phases = webhook.GetProperty("phases").EnumerateArray().ToList();
        Assert.Equal(["baseline", "empty", "full", "any-word", "channels-3", "poll", "poll-100k"], phases.Select(p => p.GetProperty("key").GetString()));
        Assert.Equal([0, 1, 1, 1, 3, 1, 1], phases.Select(p => p.GetProperty("channels").GetInt32()));
        foreach (var phase in phases)
        {
            Assert.True(phase.GetProperty("succeeded").GetInt64() > 0);
            Assert.True(phase.GetProperty("perSecond").GetDouble() > 0);
            Assert.True(phase.GetProperty("p99Ms").GetDouble() >= phase.GetProperty("p50Ms").GetDouble());
            Assert.True(phase.GetProperty("cpuMicrosecondsPerRequest").GetProperty("api").GetDouble() > 0);
        }

        Assert.Equal(JsonValueKind.Null, phases[0].GetProperty("counted").ValueKind);
        Assert.All(phases.Skip(1), p => Assert.Equal(p.GetProperty("succeeded").GetInt64(), p.GetProperty("counted").GetInt64()));
        Assert.True(webhook.GetProperty("everyVoteCountedOnce").GetBoolean());
        var targets = webhook.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("what").GetString()).ToList();
        Assert.Contains("votes/s over 3 channels", targets);
        Assert.Contains("3 channels vs. baseline", targets);
        Assert.Contains("any word (10 a side) vs. exact match, empty window", targets); // every any-word message counted, above
        Assert.Contains("poll votes/s vs. mood votes (empty window)", targets);
        Assert.Contains("full poll vs. new poll throughput", targets);

        // The poll phases' votes ("1".."6", each from a new chatter) were counted once each in the poll's total in Redis (above),
        // and the prefill went through the webhook into the running poll.
        Assert.Equal("poll of 6, 200 voters at start", phases[6].GetProperty("name").GetString());
        var timeline = webhook.GetProperty("timeline");
        Assert.Equal(3, timeline.GetProperty("channels").GetInt32());
        Assert.Equal(1, timeline.GetProperty("intervalSeconds").GetDouble());
        var statements = timeline.GetProperty("statements").GetInt64();
        Assert.True(statements > 0);
        Assert.Equal(0, timeline.GetProperty("failed").GetInt64());
        Assert.InRange(timeline.GetProperty("rows").GetInt64(), statements, statements * 3); // one row per active channel per interval
        Assert.True(timeline.GetProperty("p99Ms").GetDouble() >= timeline.GetProperty("p50Ms").GetDouble());
    }
}
