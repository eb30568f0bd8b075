using ChatPulse.Api.Votes;

namespace ChatPulse.Api.Streamers;

public enum DisplayMode
{
    Combined,
    Split,
    Ring,
}

public enum OverlayTheme
{
    Dark,
    Light,
}

/// <summary>A streamer's vote and overlay settings (the dashboard's configuration form).</summary>
/// <param name="MemorySeconds">The sliding window, 5–120 s; null means "infinite".</param>
/// <param name="Version">Bumped on every save; caches compare it.</param>
public sealed record OverlayConfiguration(
    TriggerList ForTriggers,
    string ForLabel,
    TriggerList AgainstTriggers,
    string AgainstLabel,
    int? MemorySeconds,
    DisplayMode DisplayMode,
    OverlayTheme Theme,
    long Version = 1)
{
    public const int MinMemorySeconds = 5;
    public const int MaxMemorySeconds = 120;
    public const int MaxLabelLength = 50;

    public static OverlayConfiguration Default { get; } = new(["yes"], "Yes", ["no"], "No", 30, DisplayMode.Combined, OverlayTheme.Dark);

    // Triggers (docs/triggers.md): how messages are matched, and whether the overlay shows "type yes or no".
    public TriggerMatchMode MatchMode { get; init; } = TriggerMatchMode.WholeMessage;

    public bool ShowTriggers { get; init; }

    /// <summary>The overlay's colours, font and layout (its own record and column); today's look unless set.</summary>
    public OverlayStyle Style { get; init; } = OverlayStyle.Default;

    /// <summary>
    /// The product's rules; field name → message. Empty when valid. Triggers follow <see cref="TriggerRules"/>: compared
    /// in the matcher's normal form and case-insensitively (<see cref="VoteMatcher.TriggerKey"/>), as the database checks.
    /// </summary>
    public IReadOnlyDictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>();
        TriggerRules.Validate(errors, this);
        ValidateLabel(errors, nameof(ForLabel), ForLabel);
        ValidateLabel(errors, nameof(AgainstLabel), AgainstLabel);
        if (MemorySeconds is { } memory && memory is < MinMemorySeconds or > MaxMemorySeconds)
        {
            errors[nameof(MemorySeconds)] = $"Memory must be {MinMemorySeconds}–{MaxMemorySeconds} seconds, or infinite.";
        }

        if (!Enum.IsDefined(DisplayMode))
        {
            errors[nameof(DisplayMode)] = "Display mode must be combined, split or ring.";
        }

        if (!Enum.IsDefined(Theme))
        {
            errors[nameof(Theme)] = "Theme must be dark or light.";
        }

        foreach (var (field, message) in Style.Validate())
        {
            errors[$"{nameof(Style)}.{field}"] = message;
        }

        return errors;
    }

    /// <summary>The same configuration with triggers in the matcher's normal form, as it is stored and matched.</summary>
    public OverlayConfiguration Normalized() => this with
    {
        ForTriggers = ForTriggers.Normalized(),
        AgainstTriggers = AgainstTriggers.Normalized(),
        Style = Style.Normalized(),
    };

    private static void ValidateLabel(Dictionary<string, string> errors, string field, string? value)
    {
        if (value is null)
        {
            errors[field] = "A label is required (it may be empty).";
        }
        else if (HasControlCharacters(value))
        {
            errors[field] = "A label cannot contain control characters.";
        }
        else if (value.Length > MaxLabelLength)
        {
            errors[field] = $"A label can be at most {MaxLabelLength} characters.";
        }
    }

    // C0/C1 controls (NUL, which Postgres cannot store, among them) and lone surrogates (not text at all).
    internal static bool HasControlCharacters(ReadOnlySpan<char> value) =>
        value.IndexOfAnyInRange('\0', '\u001F') >= 0 || value.IndexOfAnyInRange('\u007F', '\u009F') >= 0 || !VoteMatcher.IsValidUtf16(value);
}
