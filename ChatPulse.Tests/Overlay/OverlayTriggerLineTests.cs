using System.Text.Json;
using ChatPulse.Api.Overlay;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;

namespace ChatPulse.Tests.Overlay;

/// <summary>The overlay's state frame carries what its "type yes or no" line needs (docs/triggers.md).</summary>
public sealed class OverlayTriggerLineTests
{
    [Fact]
    public void The_state_frame_carries_both_sides_triggers_and_whether_to_show_them()
    {
        var configuration = OverlayConfiguration.Default with { ForTriggers = ["W", "yes"], AgainstTriggers = ["L"], ShowTriggers = true };

        var frame = JsonDocument.Parse(OverlayStateMessage.From(new SentimentSnapshot("1", 0, 0, 0), configuration).ToUtf8()).RootElement;

        Assert.True(frame.GetProperty("showTriggers").GetBoolean());
        Assert.Equal(["W", "yes"], frame.GetProperty("forTriggers").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["L"], frame.GetProperty("againstTriggers").EnumerateArray().Select(e => e.GetString()));
        Assert.False(JsonDocument.Parse(OverlayStateMessage.From(new SentimentSnapshot("1", 0, 0, 0), OverlayConfiguration.Default).ToUtf8())
            .RootElement.GetProperty("showTriggers").GetBoolean());
    }
}
