using System.ComponentModel.DataAnnotations;
using System.Globalization;
using ChatPulse.Api.Streamers;

namespace ChatPulse.Api.Dashboard;

/// <summary>
/// The look part of the configuration form (<c>Form.Style.*</c>), every field a string as posted, so a wrong value
/// reaches <see cref="OverlayStyle.Validate"/> instead of failing in binding. The dashboard's script sends the same
/// fields to the live preview as query-string overrides (docs/overlay-styles.md).
/// </summary>
public sealed class StyleForm
{
    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string ForColor { get; set; } = "";

    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string AgainstColor { get; set; } = "";

    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string TextColor { get; set; } = "";

    public string Font { get; set; } = "sans";

    public string LabelPosition { get; set; } = "above";

    public bool ShowPercentages { get; set; }

    public bool ShowVotes { get; set; }

    public bool ShowLabels { get; set; }

    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string CornerRadius { get; set; } = "";

    /// <summary>Seconds as typed; empty never hides.</summary>
    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string HideWhenIdleSeconds { get; set; } = "";

    public static StyleForm From(OverlayStyle style) => new()
    {
        ForColor = style.ForColor,
        AgainstColor = style.AgainstColor,
        TextColor = style.TextColor,
        Font = style.Font.ToString().ToLowerInvariant(),
        LabelPosition = style.LabelPosition.ToString().ToLowerInvariant(),
        ShowPercentages = style.ShowPercentages,
        ShowVotes = style.ShowVotes,
        ShowLabels = style.ShowLabels,
        CornerRadius = style.CornerRadius.ToString(CultureInfo.InvariantCulture),
        HideWhenIdleSeconds = style.HideWhenIdleSeconds?.ToString(CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>The style the fields describe; unparseable values become out-of-range ones that Validate names.</summary>
    public OverlayStyle ToStyle() => new(
        ForColor.Trim(),
        AgainstColor.Trim(),
        TextColor.Trim(),
        ConfigurationForm.ParseName(Font, (OverlayFont)(-1)),
        ConfigurationForm.ParseName(LabelPosition, (Streamers.LabelPosition)(-1)),
        ShowPercentages,
        ShowVotes,
        ShowLabels,
        ParseNumber(CornerRadius) ?? int.MinValue,
        string.IsNullOrWhiteSpace(HideWhenIdleSeconds) ? null : ParseNumber(HideWhenIdleSeconds) ?? int.MinValue);

    private static int? ParseNumber(string value) =>
        int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
}
