using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;

namespace ChatPulse.Tests.Votes;

public sealed class VoteMatcherTests
{
    private static readonly OverlayConfiguration YesNo = OverlayConfiguration.Default;
    private static readonly OverlayConfiguration Emotes = OverlayConfiguration.Default with { ForTriggers = ["Kappa"], AgainstTriggers = ["PogChamp"] };

    [Theory]
    [InlineData("yes", VoteSide.For)]
    [InlineData("YES", VoteSide.For)]
    [InlineData("  Yes\t", VoteSide.For)]
    [InlineData("no", VoteSide.Against)]
    [InlineData("nO ", VoteSide.Against)]
    [InlineData("yes!", VoteSide.None)]
    [InlineData("yes yes", VoteSide.None)]
    [InlineData("yesno", VoteSide.None)]
    [InlineData("I say yes", VoteSide.None)]
    [InlineData("", VoteSide.None)]
    [InlineData("   ", VoteSide.None)]
    public void Trimmed_text_must_equal_a_trigger_ignoring_case(string text, VoteSide expected)
    {
        Assert.Equal(expected, VoteMatcher.Match(text, YesNo));
    }

    [Theory]
    [InlineData("Kappa", VoteSide.For)] // the message is one emote fragment whose text is the trigger
    [InlineData("kappa", VoteSide.For)]
    [InlineData(" PogChamp ", VoteSide.Against)]
    [InlineData("Kappa Kappa", VoteSide.None)]
    [InlineData("Kappa yes", VoteSide.None)]
    public void Emote_names_count_like_typed_text(string text, VoteSide expected)
    {
        Assert.Equal(expected, VoteMatcher.Match(text, Emotes));
    }

    [Theory]
    [InlineData("yes \U000E0000")] // what chat clients append so Twitch accepts a repeated message
    [InlineData("yes\u034F")]
    [InlineData("\u200Byes\u200D")]
    [InlineData("\uFEFFyes")]
    public void Invisible_characters_around_the_text_are_trimmed(string text)
    {
        Assert.Equal(VoteSide.For, VoteMatcher.Match(text, YesNo));
    }

    [Fact]
    public void Invisible_characters_inside_the_text_still_make_it_different()
    {
        Assert.Equal(VoteSide.None, VoteMatcher.Match("y\u200Bes", YesNo));
    }

    [Fact]
    public void Non_ascii_triggers_match_case_insensitively()
    {
        var config = OverlayConfiguration.Default with { ForTriggers = ["Ärger"], AgainstTriggers = ["ÉTÉ"] };

        Assert.Equal(VoteSide.For, VoteMatcher.Match("ärger", config));
        Assert.Equal(VoteSide.Against, VoteMatcher.Match("été", config));
    }
}
