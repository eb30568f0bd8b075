using ChatPulse.Api.Streamers;

namespace ChatPulse.Tests.Streamers;

public sealed class OverlayConfigurationTests
{
    [Fact]
    public void Default_is_valid() => Assert.Empty(OverlayConfiguration.Default.Validate());

    [Theory]
    [InlineData("   ", "no", "ForTriggers")]
    [InlineData("yes", "", "AgainstTriggers")]
    [InlineData("yes", " YES ", "AgainstTriggers")]
    public void Triggers_must_be_non_empty_after_trimming_and_differ_case_insensitively(string forTrigger, string againstTrigger, string field)
    {
        var errors = (OverlayConfiguration.Default with { ForTriggers = [forTrigger], AgainstTriggers = [againstTrigger] }).Validate();

        Assert.True(errors.ContainsKey(field), string.Join(", ", errors.Keys));
    }

    [Fact]
    public void Trigger_of_100_characters_is_accepted_and_101_refused()
    {
        Assert.Empty((OverlayConfiguration.Default with { ForTriggers = [new string('a', 100)] }).Validate());
        Assert.Contains("ForTriggers", (OverlayConfiguration.Default with { ForTriggers = [new string('a', 101)] }).Validate().Keys);
    }

    [Fact]
    public void Label_of_50_characters_is_accepted_and_51_refused()
    {
        Assert.Empty((OverlayConfiguration.Default with { AgainstLabel = new string('b', 50) }).Validate());
        Assert.Contains("AgainstLabel", (OverlayConfiguration.Default with { AgainstLabel = new string('b', 51) }).Validate().Keys);
    }

    [Theory]
    [InlineData(4, false)]
    [InlineData(5, true)]
    [InlineData(120, true)]
    [InlineData(121, false)]
    [InlineData(null, true)]
    public void Memory_is_5_to_120_seconds_or_infinite(int? memory, bool valid)
    {
        var errors = (OverlayConfiguration.Default with { MemorySeconds = memory }).Validate();

        Assert.Equal(valid, !errors.ContainsKey("MemorySeconds"));
    }

    [Fact]
    public void Enum_values_outside_the_set_are_refused()
    {
        var errors = (OverlayConfiguration.Default with { DisplayMode = (DisplayMode)7, Theme = (OverlayTheme)9 }).Validate();

        Assert.Contains("DisplayMode", errors.Keys);
        Assert.Contains("Theme", errors.Keys);
    }
}
