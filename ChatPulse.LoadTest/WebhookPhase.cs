namespace ChatPulse.LoadTest;

/// <summary>
/// One timed phase of the webhook benchmark: its requests, how it is prepared, what is reset before each slice and
/// where its votes are counted, so <see cref="WebhookBenchmark"/> runs every phase the same way.
/// </summary>
public sealed class WebhookPhase(string key, string title, int channels, Func<HttpRequestMessage> next)
{
    /// <summary>The phase's name in the JSON and the tests (<c>baseline</c>, <c>empty</c>, <c>poll</c>, <c>channels-1000</c>…).</summary>
    public string Key { get; } = key;

    public string Title { get; set; } = title;

    /// <summary>0 for the baseline, 1 for a single channel, N for votes spread over N channels.</summary>
    public int Channels { get; } = channels;

    public Func<HttpRequestMessage> Next { get; } = next;

    /// <summary>The broadcasters whose overlay the tool keeps "connected" (presence heartbeats), so every vote counts.</summary>
    public IReadOnlyList<string> Watched { get; init; } = [];

    /// <summary>Run before each slice, so every slice starts from nothing (the window emptied, a new poll); null: never reset.</summary>
    public Func<CancellationToken, Task>? Reset { get; init; }

    /// <summary>The votes counted so far where this phase's votes land (a window, a poll's total); null for the baseline.</summary>
    public Func<CancellationToken, Task<long>>? Count { get; init; }

    /// <summary>Filled with <c>--prefill</c> votes before measuring, then titled by what it holds (<see cref="Count"/>); null: a 5 s warm-up.</summary>
    public Func<long, string>? PrefilledTitle { get; init; }

    public List<Sample> Samples { get; } = [];
    public CpuMeter.Reading Cpu { get; set; }

    /// <summary>The votes counted during the timed slices (null for the baseline): must equal the 2xx answers.</summary>
    public long? Counted { get; set; }
}
