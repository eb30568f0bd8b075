using System.Text.Json;
using System.Text.Json.Serialization;
using ChatPulse.Api.Polls;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;

namespace ChatPulse.Api.Overlay;

/// <summary>
/// The frame a socket receives on connect and after every change: the whole state, so a page that missed
/// frames (coalesced or dropped) is never wrong, only late. Format documented in docs/architecture.md.
/// </summary>
public sealed record OverlayStateMessage(
    string Type,
    double ForRatio,
    double AgainstRatio,
    long ForVotes,
    long AgainstVotes,
    long TotalVotes,
    string ForLabel,
    string AgainstLabel,
    string DisplayMode,
    string Theme,
    string Status,
    long At,
    long ConfigVersion)
{
    public const string StateType = "state";

    // Triggers (docs/triggers.md): the "type yes or no" line, shown only when the streamer turns it on.
    public bool ShowTriggers { get; init; }

    public IReadOnlyList<string> ForTriggers { get; init; } = [];

    public IReadOnlyList<string> AgainstTriggers { get; init; } = [];

    public static OverlayStateMessage From(SentimentSnapshot snapshot, OverlayConfiguration configuration) => new(
        StateType,
        ForRatio: snapshot.ForRatio,
        AgainstRatio: snapshot.AgainstRatio,
        ForVotes: snapshot.For,
        AgainstVotes: snapshot.Against,
        TotalVotes: snapshot.Total,
        ForLabel: configuration.ForLabel,
        AgainstLabel: configuration.AgainstLabel,
        DisplayMode: configuration.DisplayMode.ToString().ToLowerInvariant(),
        Theme: configuration.Theme.ToString().ToLowerInvariant(),
        Status: snapshot.Total > 0 ? "active" : "idle",
        At: snapshot.At,
        ConfigVersion: configuration.Version)
    {
        ShowTriggers = configuration.ShowTriggers,
        ForTriggers = configuration.ForTriggers,
        AgainstTriggers = configuration.AgainstTriggers,
        Style = OverlayStyleFrame.From(configuration.Style),
    };

    /// <summary>The saved look; the page's query-string overrides win over it (docs/overlay-styles.md).</summary>
    public OverlayStyleFrame? Style { get; init; }

    /// <summary>The poll the overlay shows over the mood bar (docs/overlay-styles.md#polls-on-the-overlay), or null.</summary>
    public PollView? Poll { get; init; }

    /// <summary>The server's clock when the frame was built (Unix ms): the page counts a poll down from it.</summary>
    public long ServerTime { get; init; }

    public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, OverlayJsonContext.Default.OverlayStateMessage);
}

internal static class OverlayFrames
{
    /// <summary>The heartbeat frame, the same bytes for every socket.</summary>
    public static readonly byte[] Ping = """{"type":"ping"}"""u8.ToArray();

    /// <summary>Reads a snapshot published on the sentiment channel; property names are matched case-insensitively.</summary>
    public static SentimentSnapshot? ReadSnapshot(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, OverlayJsonContext.Default.SentimentSnapshot);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(OverlayStateMessage))]
[JsonSerializable(typeof(SentimentSnapshot))]
[JsonSerializable(typeof(OverlayStyleFrame))]
[JsonSerializable(typeof(SentimentChannelMessage))]
internal sealed partial class OverlayJsonContext : JsonSerializerContext;
