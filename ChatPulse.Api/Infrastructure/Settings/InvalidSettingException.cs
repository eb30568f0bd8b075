namespace ChatPulse.Api.Infrastructure.Settings;

/// <summary>A setting that cannot be used; the message is one line naming the setting and the rule.</summary>
public sealed class InvalidSettingException(string setting, string rule)
    : Exception($"{setting}: {rule}")
{
    public string Setting { get; } = setting;
}
