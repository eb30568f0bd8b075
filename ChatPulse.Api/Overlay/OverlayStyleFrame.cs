using ChatPulse.Api.Streamers;

namespace ChatPulse.Api.Overlay;

/// <summary>
/// <see cref="OverlayStyle"/> as the page reads it: names lower-case, as the query-string overrides spell them;
/// <c>hideWhenIdleSeconds</c> 0 never hides.
/// </summary>
public sealed record OverlayStyleFrame(
    string ForColor,
    string AgainstColor,
    string TextColor,
    string Font,
    string LabelPosition,
    bool ShowPercentages,
    bool ShowVotes,
    bool ShowLabels,
    int CornerRadius,
    int HideWhenIdleSeconds)
{
    public static OverlayStyleFrame From(OverlayStyle style) => new(
        style.ForColor,
        style.AgainstColor,
        style.TextColor,
        style.Font.ToString().ToLowerInvariant(),
        style.LabelPosition.ToString().ToLowerInvariant(),
        style.ShowPercentages,
        style.ShowVotes,
        style.ShowLabels,
        style.CornerRadius,
        style.HideWhenIdleSeconds ?? 0);
}
