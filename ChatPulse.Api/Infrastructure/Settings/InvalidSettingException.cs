namespace ChatPulse.Api.Infrastructure.Settings;

/// <summary>A setting that cannot be used; the message is one line naming the setting and the rule.</summary>
public sealed class InvalidSettingException(string setting, string rule)
    : Exception($"{setting}: {rule}")
{
    public string Setting { get; } = setting;

    /// <summary>
    /// The wrong settings <paramref name="exception"/> reports, a line each ("SETTING: rule"): from this exception,
    /// from the options validators, or from several of them at once (once each: a validator that reads APP_ENV's
    /// options meets their failure too); empty when it is about something else.
    /// </summary>
    public static IReadOnlyList<string> Describe(Exception exception) => exception switch
    {
        InvalidSettingException invalid => [invalid.Message],
        OptionsValidationException validation => [.. validation.Failures],
        AggregateException { InnerExceptions: var inner } when inner.All(e => Describe(e).Count > 0) => [.. inner.SelectMany(Describe).Distinct()],
        _ => [],
    };
}
