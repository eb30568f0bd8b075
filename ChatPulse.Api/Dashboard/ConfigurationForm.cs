using System.ComponentModel.DataAnnotations;
using System.Globalization;
using ChatPulse.Api.Streamers;

namespace ChatPulse.Api.Dashboard;

/// <summary>
/// The dashboard's configuration form as posted: every field a string, so a wrong value reaches
/// <see cref="OverlayConfiguration.Validate"/> (the one home of the product's rules) instead of failing in binding.
/// </summary>
public sealed class ConfigurationForm
{
    /// <summary>One trigger per line.</summary>
    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string ForTriggers { get; set; } = "";

    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string ForLabel { get; set; } = "";

    /// <summary>One trigger per line.</summary>
    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string AgainstTriggers { get; set; } = "";

    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string AgainstLabel { get; set; } = "";

    /// <summary>Seconds as typed; ignored when <see cref="MemoryInfinite"/> is set.</summary>
    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string MemorySeconds { get; set; } = "";

    public bool MemoryInfinite { get; set; }

    public string DisplayMode { get; set; } = "combined";

    public string Theme { get; set; } = "dark";

    /// <summary>The overlay's look (<see cref="OverlayStyle"/>).</summary>
    public StyleForm Style { get; set; } = new();

    // Triggers (docs/triggers.md): the match mode by its name, and the overlay's "type yes or no" line.
    public string MatchMode { get; set; } = TriggerMatchModes.WholeMessage;

    public bool ShowTriggers { get; set; }

    public static ConfigurationForm From(OverlayConfiguration configuration) => new()
    {
        ForTriggers = configuration.ForTriggers.ToLines(),
        ForLabel = configuration.ForLabel,
        AgainstTriggers = configuration.AgainstTriggers.ToLines(),
        AgainstLabel = configuration.AgainstLabel,
        MemorySeconds = configuration.MemorySeconds?.ToString(CultureInfo.InvariantCulture) ?? "",
        MemoryInfinite = configuration.MemorySeconds is null,
        DisplayMode = configuration.DisplayMode.ToString().ToLowerInvariant(),
        Theme = configuration.Theme.ToString().ToLowerInvariant(),
        Style = StyleForm.From(configuration.Style),
        MatchMode = configuration.MatchMode.Name(),
        ShowTriggers = configuration.ShowTriggers,
    };

    /// <summary>The configuration the form describes and the rule violations, by field name (empty when valid).</summary>
    public (OverlayConfiguration Configuration, IReadOnlyDictionary<string, string> Errors) ToConfiguration()
    {
        // Unparseable values become out-of-range ones, so Validate names them with the product's wording.
        int? memory = MemoryInfinite ? null
            : int.TryParse(MemorySeconds.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds
            : int.MinValue;
        var configuration = new OverlayConfiguration(
            TriggerList.FromLines(ForTriggers), ForLabel, TriggerList.FromLines(AgainstTriggers), AgainstLabel, memory,
            ParseName(DisplayMode, (Streamers.DisplayMode)(-1)),
            ParseName(Theme, (OverlayTheme)(-1)))
        {
            Style = Style.ToStyle(),
            MatchMode = TriggerMatchModes.Parse(MatchMode) ?? (TriggerMatchMode)(-1),
            ShowTriggers = ShowTriggers,
        };
        return (configuration, configuration.Validate());
    }

    /// <summary>Enum names only ("split"), never numbers ("1").</summary>
    internal static T ParseName<T>(string? value, T invalid) where T : struct, Enum =>
        Enum.GetNames<T>().FirstOrDefault(n => string.Equals(n, value?.Trim(), StringComparison.OrdinalIgnoreCase)) is { } name
            ? Enum.Parse<T>(name)
            : invalid;
}
