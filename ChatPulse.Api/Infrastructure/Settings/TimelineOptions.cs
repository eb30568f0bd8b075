namespace ChatPulse.Api.Infrastructure.Settings;

/// <summary>The mood timeline's settings (Timeline/): TIMELINE_INTERVAL and TIMELINE_RETENTION_DAYS.</summary>
public sealed class TimelineOptions
{
    public const string Section = "Timeline";

    /// <summary>TIMELINE_INTERVAL: one point per active channel per interval, whole seconds from 1s to 10m (default 10s).</summary>
    public string Interval { get; set; } = "10s";

    /// <summary>TIMELINE_RETENTION_DAYS: points older than this are deleted (default 90).</summary>
    public int RetentionDays { get; set; } = 90;

    public TimeSpan IntervalValue => Durations.TryParse(Interval, out var value) ? value : TimeSpan.FromSeconds(10);

    public TimeSpan Retention => TimeSpan.FromDays(RetentionDays);
}

internal sealed class TimelineOptionsValidator : IValidateOptions<TimelineOptions>
{
    public ValidateOptionsResult Validate(string? name, TimelineOptions options)
    {
        var errors = new List<string>();
        // Whole seconds, so every point sits on a second and the interval boundaries are the same on every replica.
        if (!Durations.TryParse(options.Interval, out var interval) || interval < TimeSpan.FromSeconds(1)
            || interval > TimeSpan.FromMinutes(10) || interval.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            errors.Add($"TIMELINE_INTERVAL: must be whole seconds between 1s and 10m, e.g. 10s (was '{options.Interval}')");
        }

        if (options.RetentionDays is < 1 or > 3650)
        {
            errors.Add($"TIMELINE_RETENTION_DAYS: must be a whole number of days from 1 to 3650 (was {options.RetentionDays})");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
