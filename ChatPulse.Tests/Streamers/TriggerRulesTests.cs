using ChatPulse.Api.Dashboard;
using ChatPulse.Api.Streamers;

namespace ChatPulse.Tests.Streamers;

/// <summary>The trigger lists' rules, each reported on the field it concerns (docs/triggers.md).</summary>
public sealed class TriggerRulesTests
{
    public static TheoryData<string[], string[], TriggerMatchMode, string, string> Violations => new()
    {
        { [], ["no"], TriggerMatchMode.WholeMessage, "ForTriggers", "Give at least one trigger." },
        { [.. Enumerable.Range(0, 11).Select(i => $"y{i}")], ["no"], TriggerMatchMode.WholeMessage, "ForTriggers",
            "At most 10 triggers per side (this side has 11)." },
        { ["yes"], ["no", new string('n', 101)], TriggerMatchMode.WholeMessage, "AgainstTriggers", "A trigger can be at most 100 characters." },
        { ["yes", " "], ["no"], TriggerMatchMode.WholeMessage, "ForTriggers", "A trigger cannot be empty." },
        { ["yes", "y\u0007"], ["no"], TriggerMatchMode.WholeMessage, "ForTriggers", "A trigger cannot contain control characters." },
        { ["yes", "Y", " YES "], ["no"], TriggerMatchMode.WholeMessage, "ForTriggers", "“YES” is listed twice (case-insensitively)." },
        { ["yes", "W"], ["no", "w"], TriggerMatchMode.WholeMessage, "AgainstTriggers",
            "“w” is on both sides: a trigger can count for one side only (case-insensitively)." },
        { ["good game"], ["no"], TriggerMatchMode.AnyWord, "ForTriggers",
            "In any-word mode a trigger is one word or emote, without spaces (“good game”)." },
        { ["yes"], ["no"], (TriggerMatchMode)5, "MatchMode", "Match mode must be whole message or any word." },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public void Each_rule_is_reported_on_its_field(string[] forTriggers, string[] againstTriggers, TriggerMatchMode mode, string field, string message)
    {
        var configuration = OverlayConfiguration.Default with
        {
            ForTriggers = [.. forTriggers], AgainstTriggers = [.. againstTriggers], MatchMode = mode,
        };

        var errors = configuration.Validate();

        Assert.Equal(field, Assert.Single(errors).Key);
        Assert.Equal(message, errors[field]);
    }

    [Fact]
    public void Ten_triggers_of_100_characters_a_side_are_valid_in_both_modes()
    {
        var configuration = OverlayConfiguration.Default with
        {
            ForTriggers = [.. Enumerable.Range(0, 10).Select(i => new string((char)('a' + i), 100))],
            AgainstTriggers = [.. Enumerable.Range(0, 10).Select(i => new string((char)('A' + i + 10), 100))],
        };

        Assert.Empty(configuration.Validate());
        Assert.Empty((configuration with { MatchMode = TriggerMatchMode.AnyWord }).Validate());
    }

    [Fact]
    public void The_form_reads_one_trigger_per_line_and_shows_them_the_same_way()
    {
        var form = ConfigurationForm.From(OverlayConfiguration.Default);
        form.ForTriggers = "yes\r\n  W \n\n\u200B\nKappa\n";
        form.MatchMode = " ANY_WORD ";
        form.ShowTriggers = true;

        var (configuration, errors) = form.ToConfiguration();

        Assert.Empty(errors);
        Assert.Equal(["yes", "W", "Kappa"], configuration.Normalized().ForTriggers);
        Assert.Equal((TriggerMatchMode.AnyWord, true), (configuration.MatchMode, configuration.ShowTriggers));
        var shown = ConfigurationForm.From(configuration.Normalized());
        Assert.Equal(("yes\nW\nKappa", "any_word", true), (shown.ForTriggers, shown.MatchMode, shown.ShowTriggers));
    }

    [Fact]
    public void The_form_refuses_an_unknown_match_mode_on_its_field()
    {
        var form = ConfigurationForm.From(OverlayConfiguration.Default);
        form.MatchMode = "substring";

        Assert.Equal("MatchMode", Assert.Single(form.ToConfiguration().Errors).Key);
    }

    [Fact]
    public void Configurations_with_the_same_triggers_are_equal_and_order_counts()
    {
        Assert.Equal(OverlayConfiguration.Default with { ForTriggers = ["a", "b"] }, OverlayConfiguration.Default with { ForTriggers = ["a", "b"] });
        Assert.NotEqual(OverlayConfiguration.Default with { ForTriggers = ["a", "b"] }, OverlayConfiguration.Default with { ForTriggers = ["b", "a"] });
    }
}
