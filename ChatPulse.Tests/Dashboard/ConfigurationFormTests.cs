using ChatPulse.Api.Dashboard;
using ChatPulse.Api.Streamers;

namespace ChatPulse.Tests.Dashboard;

/// <summary>The form's translation to <see cref="OverlayConfiguration"/>: every product rule, named by field.</summary>
public sealed class ConfigurationFormTests
{
    public static TheoryData<string, string, string> Violations => new()
    {
        { nameof(ConfigurationForm.ForTriggers), "   ", "at least one trigger" },
        { nameof(ConfigurationForm.AgainstTriggers), "", "at least one trigger" },
        { nameof(ConfigurationForm.ForTriggers), new string('x', 101), "at most 100" },
        { nameof(ConfigurationForm.AgainstTriggers), " YES ", "on both sides" },
        { nameof(ConfigurationForm.ForLabel), new string('l', 51), "at most 50" },
        { nameof(ConfigurationForm.AgainstLabel), new string('l', 51), "at most 50" },
        { nameof(ConfigurationForm.MemorySeconds), "4", "5–120" },
        { nameof(ConfigurationForm.MemorySeconds), "121", "5–120" },
        { nameof(ConfigurationForm.MemorySeconds), "ten", "5–120" },
        { nameof(ConfigurationForm.MemorySeconds), "", "5–120" },
        { nameof(ConfigurationForm.MemorySeconds), "-5", "5–120" },
        { nameof(ConfigurationForm.DisplayMode), "sideways", "combined, split or ring" },
        { nameof(ConfigurationForm.DisplayMode), "1", "combined, split or ring" },
        { nameof(ConfigurationForm.Theme), "blue", "dark or light" },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public void Each_rule_is_reported_on_its_field(string field, string value, string message)
    {
        var form = Valid();
        typeof(ConfigurationForm).GetProperty(field)!.SetValue(form, value);

        var (_, errors) = form.ToConfiguration();

        Assert.Equal(field, Assert.Single(errors).Key);
        Assert.Contains(message, errors[field]);
    }

    [Fact]
    public void Boundaries_empty_labels_and_infinite_memory_are_valid_and_triggers_are_stored_trimmed()
    {
        var form = Valid();
        form.ForTriggers = "  " + new string('w', 100) + " ";
        form.AgainstTriggers = "L";
        form.ForLabel = new string('a', 50);
        form.AgainstLabel = "";
        form.MemorySeconds = "garbage is ignored when infinite";
        form.MemoryInfinite = true;
        form.DisplayMode = "Split";
        form.Theme = "LIGHT";

        var (configuration, errors) = form.ToConfiguration();

        Assert.Empty(errors);
        Assert.Null(configuration.MemorySeconds);
        Assert.Equal((DisplayMode.Split, OverlayTheme.Light), (configuration.DisplayMode, configuration.Theme));
        Assert.Equal(new string('w', 100), configuration.Normalized().ForTriggers.Single());
        foreach (var seconds in new[] { "5", "120" })
        {
            var bounded = Valid();
            bounded.MemorySeconds = seconds;
            Assert.Empty(bounded.ToConfiguration().Errors);
        }
    }

    [Fact]
    public void A_stored_configuration_round_trips_through_the_form_and_changed_fields_are_named()
    {
        var stored = OverlayConfiguration.Default with { MemorySeconds = null, Theme = OverlayTheme.Light };

        var (configuration, errors) = ConfigurationForm.From(stored).ToConfiguration();
        var changed = StreamerActions.ChangedFields(stored, configuration with { ForLabel = "Yay", MemorySeconds = 60 });

        Assert.Empty(errors);
        Assert.Equal(stored, configuration);
        Assert.Equal(["ForLabel", "MemorySeconds"], changed);
        Assert.Empty(StreamerActions.ChangedFields(stored, stored with { ForTriggers = [" yes "] }));
    }

    private static ConfigurationForm Valid() => ConfigurationForm.From(OverlayConfiguration.Default);
}
