namespace ChatPulse.LoadTest;

/// <summary>
/// What one run of the tool measures, as parsed by <see cref="LoadCommandLine"/> (<c>--help</c> lists every mode and
/// option with its default and range).
/// </summary>
public sealed record LoadOptions(
    string Mode,
    int Rounds,
    TimeSpan Slice,
    int Concurrency,
    long Prefill,
    string Configuration,
    int[] Rates,
    TimeSpan Seconds,
    int Broadcasters,
    int SocketsPerBroadcaster,
    int CapacitySockets,
    int CapacityBroadcasters,
    TimeSpan CapacityHold,
    IReadOnlyDictionary<string, string> ApiEnvironment,
    TimeSpan Outage,
    int OutageRate,
    int OutageBroadcasters)
{
    /// <summary>The webhook benchmark's channel counts: 1 is the single-channel phases (empty and full window), each larger count a spread phase.</summary>
    public int[] Channels { get; init; } = [1];

    /// <summary><c>--any-word</c>: a single-channel phase with 10 triggers a side in any-word mode on 200-character messages.</summary>
    public bool AnyWord { get; init; }

    /// <summary><c>--poll</c>: a running 6-option poll on one channel, new at each slice and with <c>--prefill</c> voters in it.</summary>
    public bool Poll { get; init; }

    /// <summary>Where <c>--json</c> writes the figures: a file, <c>"-"</c> for stdout, null when not asked for.</summary>
    public string? Json { get; init; }

    /// <summary>The webhook benchmark's timed phases: the baseline, empty and full window for 1 channel, any-word, one per larger count, the two poll phases.</summary>
    public int WebhookPhases => 1 + (Channels.Contains(1) ? 2 : 0) + (AnyWord ? 1 : 0) + Channels.Count(c => c > 1) + (Poll ? 2 : 0);

    /// <summary>The outage run kills Redis, so it runs alone ("all" leaves it out).</summary>
    public bool Runs(string benchmark) => Mode == benchmark || (Mode == "all" && benchmark != "redis-outage") || (Mode == "overlay" && benchmark.StartsWith("overlay-", StringComparison.Ordinal));
}
