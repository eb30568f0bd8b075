using ChatPulse.Api.Votes;

namespace ChatPulse.Api.Streamers;

public enum DisplayMode
{
    Combined,
    Split,
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
    string ForTrigger,
    string ForLabel,
    string AgainstTrigger,
    string AgainstLabel,
    int? MemorySeconds,
    DisplayMode DisplayMode,
    OverlayTheme Theme,
    long Version = 1)
{
    public const int MinMemorySeconds = 5;
    public const int MaxMemorySeconds = 120;
    public const int MaxTriggerLength = 500;
    public const int MaxLabelLength = 50;

    public static OverlayConfiguration Default { get; } = new("yes", "Yes", "no", "No", 30, DisplayMode.Combined, OverlayTheme.Dark);

    /// <summary>
    /// The product's rules; field name → message. Empty when valid. Triggers are compared in the matcher's normal form
    /// and case-insensitively (<see cref="VoteMatcher.TriggerKey"/>), as votes are matched and as the database checks.
    /// </summary>
    public IReadOnlyDictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>();
        ValidateTrigger(errors, nameof(ForTrigger), ForTrigger);
        ValidateTrigger(errors, nameof(AgainstTrigger), AgainstTrigger);
        if (!errors.ContainsKey(nameof(ForTrigger)) && !errors.ContainsKey(nameof(AgainstTrigger))
            && VoteMatcher.TriggerKey(ForTrigger) == VoteMatcher.TriggerKey(AgainstTrigger))
        {
            errors[nameof(AgainstTrigger)] = "The two triggers must differ (case-insensitively).";
        }

        ValidateLabel(errors, nameof(ForLabel), ForLabel);
        ValidateLabel(errors, nameof(AgainstLabel), AgainstLabel);
        if (MemorySeconds is { } memory && memory is < MinMemorySeconds or > MaxMemorySeconds)
        {
            errors[nameof(MemorySeconds)] = $"Memory must be {MinMemorySeconds}–{MaxMemorySeconds} seconds, or infinite.";
        }

        if (!Enum.IsDefined(DisplayMode))
        {
            errors[nameof(DisplayMode)] = "Display mode must be combined or split.";
        }

        if (!Enum.IsDefined(Theme))
        {
            errors[nameof(Theme)] = "Theme must be dark or light.";
        }

        return errors;
    }

    /// <summary>The same configuration with triggers in the matcher's normal form, as it is stored and matched.</summary>
    public OverlayConfiguration Normalized() => this with
    {
        ForTrigger = VoteMatcher.Normalize(ForTrigger).ToString(),
        AgainstTrigger = VoteMatcher.Normalize(AgainstTrigger).ToString(),
    };

    private static void ValidateTrigger(Dictionary<string, string> errors, string field, string? value)
    {
        var normalized = VoteMatcher.Normalize(value);
        if (normalized.IsEmpty)
        {
            errors[field] = "A trigger cannot be empty.";
        }
        else if (HasControlCharacters(normalized))
        {
            errors[field] = "A trigger cannot contain control characters.";
        }
        else if (normalized.Length > MaxTriggerLength)
        {
            errors[field] = $"A trigger can be at most {MaxTriggerLength} characters.";
        }
    }

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
    private static bool HasControlCharacters(ReadOnlySpan<char> value) =>
        value.IndexOfAnyInRange('\0', '\u001F') >= 0 || value.IndexOfAnyInRange('\u007F', '\u009F') >= 0 || !VoteMatcher.IsValidUtf16(value);
}
