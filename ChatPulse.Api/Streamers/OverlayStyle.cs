using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatPulse.Api.Streamers;

/// <summary>A system font stack: the overlay renders offline in OBS, so no web fonts.</summary>
public enum OverlayFont
{
    Sans,
    Serif,
    Mono,
    Rounded,
    Condensed,
}

/// <summary>Where the labels and numbers sit relative to the bar (or the ring).</summary>
public enum LabelPosition
{
    Above,
    Below,
    Inside,
}

/// <summary>
/// How the overlay looks, beside the shape (<see cref="OverlayConfiguration.DisplayMode"/>) and the theme (the track
/// and shadow). Stored as one JSON column of its own (migration 0006); every field also has a query-string override
/// on the overlay URL (docs/overlay-styles.md).
/// </summary>
/// <param name="ForColor">The "for" side, <c>#rrggbb</c>.</param>
/// <param name="CornerRadius">Percent of the bar's height, 0 (square) to 50 (a pill).</param>
/// <param name="HideWhenIdleSeconds">Fade out after this long without a vote; null never hides.</param>
public sealed record OverlayStyle(
    string ForColor,
    string AgainstColor,
    string TextColor,
    OverlayFont Font,
    LabelPosition LabelPosition,
    bool ShowPercentages,
    bool ShowVotes,
    bool ShowLabels,
    int CornerRadius,
    int? HideWhenIdleSeconds)
{
    public const int MaxCornerRadius = 50;
    public const int MinHideWhenIdleSeconds = 1;
    public const int MaxHideWhenIdleSeconds = 3600;

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    public const string DarkText = "#ffffff";
    public const string LightText = "#14171a";

    /// <summary>Today's look: the colours, font and layout the page had before styles existed (dark theme).</summary>
    public static OverlayStyle Default { get; } = new("#2ecc71", "#e74c3c", DarkText, OverlayFont.Sans, LabelPosition.Above,
        ShowPercentages: true, ShowVotes: false, ShowLabels: true, CornerRadius: 30, HideWhenIdleSeconds: null);

    /// <summary>The rules; field name → message, empty when valid.</summary>
    public IReadOnlyDictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>();
        ValidateColor(errors, nameof(ForColor), ForColor);
        ValidateColor(errors, nameof(AgainstColor), AgainstColor);
        ValidateColor(errors, nameof(TextColor), TextColor);
        if (!Enum.IsDefined(Font))
        {
            errors[nameof(Font)] = "Font must be sans, serif, mono, rounded or condensed.";
        }

        if (!Enum.IsDefined(LabelPosition))
        {
            errors[nameof(LabelPosition)] = "Label position must be above, below or inside.";
        }

        if (CornerRadius is < 0 or > MaxCornerRadius)
        {
            errors[nameof(CornerRadius)] = $"Corner radius must be 0–{MaxCornerRadius} (% of the bar's height).";
        }

        if (HideWhenIdleSeconds is { } idle && idle is < MinHideWhenIdleSeconds or > MaxHideWhenIdleSeconds)
        {
            errors[nameof(HideWhenIdleSeconds)] = $"Hide when idle must be {MinHideWhenIdleSeconds}–{MaxHideWhenIdleSeconds} seconds, or never.";
        }

        return errors;
    }

    /// <summary><c>#rrggbb</c> in any case (the page and the database hold it lower-cased).</summary>
    public static bool IsColor(string? value) =>
        value is { Length: 7 } && value[0] == '#' && !value.AsSpan(1).ContainsAnyExcept(HexDigits);

    /// <summary>The same style with colours lower-cased, as it is stored and sent.</summary>
    public OverlayStyle Normalized() => this with
    {
        ForColor = ForColor.ToLowerInvariant(),
        AgainstColor = AgainstColor.ToLowerInvariant(),
        TextColor = TextColor.ToLowerInvariant(),
    };

    public string ToJson() => JsonSerializer.Serialize(this, OverlayStyleJson.Default.OverlayStyle);

    public static OverlayStyle FromJson(string json) =>
        JsonSerializer.Deserialize(json, OverlayStyleJson.Default.OverlayStyle) ?? throw new JsonException("The stored style is null.");

    private static void ValidateColor(Dictionary<string, string> errors, string field, string? value)
    {
        if (!IsColor(value))
        {
            errors[field] = "A colour must be #RRGGBB (six hex digits).";
        }
    }
}

/// <summary>The stored form: camelCase, enums by lower-case name (as migration 0006 writes them).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    Converters = [typeof(LowerCaseNames<OverlayFont>), typeof(LowerCaseNames<LabelPosition>)])]
[JsonSerializable(typeof(OverlayStyle))]
internal sealed partial class OverlayStyleJson : JsonSerializerContext;

internal sealed class LowerCaseNames<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where T : struct, Enum;
