using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;

namespace ChatPulse.Tests.Votes;

/// <summary>Several triggers per side and the two match modes (docs/triggers.md).</summary>
public sealed class TriggerMatchingTests
{
    private static readonly OverlayConfiguration Aliases =
        OverlayConfiguration.Default with { ForTriggers = ["yes", "W", "Kappa", ":)"], AgainstTriggers = ["no", "L", "NotLikeThis", "D:"] };

    private static readonly OverlayConfiguration AnyWord = Aliases with { MatchMode = TriggerMatchMode.AnyWord };

    [Theory]
    [InlineData("yes", VoteSide.For)]
    [InlineData(" w ", VoteSide.For)]
    [InlineData("KAPPA", VoteSide.For)]
    [InlineData(":)", VoteSide.For)]
    [InlineData("l", VoteSide.Against)]
    [InlineData("NotLikeThis", VoteSide.Against)]
    [InlineData("D:", VoteSide.Against)]
    [InlineData("yes W", VoteSide.None)]
    [InlineData("W!", VoteSide.None)]
    [InlineData("I say yes", VoteSide.None)]
    public void In_whole_message_mode_the_message_must_equal_one_of_the_triggers(string text, VoteSide expected)
    {
        Assert.Equal(expected, VoteMatcher.Match(text, Aliases));
    }

    [Fact]
    public void Whole_message_mode_still_matches_a_trigger_with_spaces()
    {
        var configuration = OverlayConfiguration.Default with { ForTriggers = ["good game", "gg"] };

        Assert.Equal(VoteSide.For, VoteMatcher.Match("Good Game", configuration));
        Assert.Equal(VoteSide.None, VoteMatcher.Match("good game gg", configuration));
    }

    [Theory]
    [InlineData("I say yes", VoteSide.For)]
    [InlineData("that was a big W for sure", VoteSide.For)]
    [InlineData("Kappa Kappa Kappa", VoteSide.For)] // one side, several times: one vote
    [InlineData("what a play NotLikeThis", VoteSide.Against)]
    [InlineData("oh no", VoteSide.Against)]
    [InlineData("yes... or no?", VoteSide.None)] // both sides: not a vote
    [InlineData("Kappa L", VoteSide.None)]
    [InlineData("yesterday nobody came", VoteSide.None)] // a trigger inside a word is not the word
    [InlineData("Wow", VoteSide.None)]
    [InlineData("", VoteSide.None)]
    public void In_any_word_mode_one_word_or_emote_of_one_side_is_enough(string text, VoteSide expected)
    {
        Assert.Equal(expected, VoteMatcher.Match(text, AnyWord));
    }

    [Theory]
    [InlineData("yes!", VoteSide.For)]
    [InlineData("(yes)", VoteSide.For)]
    [InlineData("\"YES\", I said", VoteSide.For)]
    [InlineData("¿no?", VoteSide.Against)]
    [InlineData("well, L.", VoteSide.Against)]
    [InlineData("smile :)", VoteSide.For)] // an emote made of punctuation matches as typed
    [InlineData("D: oh", VoteSide.Against)]
    [InlineData("yes,no", VoteSide.None)] // punctuation inside a word keeps it one word
    [InlineData("don't", VoteSide.None)]
    public void In_any_word_mode_punctuation_around_a_word_is_ignored(string text, VoteSide expected)
    {
        Assert.Equal(expected, VoteMatcher.Match(text, AnyWord));
    }

    [Theory]
    [InlineData("yes \U000E0000")] // what chat clients append so Twitch accepts a repeated message
    [InlineData("\u200Byes\u200D and more")]
    [InlineData("so\u00A0yes")] // a no-break space separates words too
    [InlineData("ok\tyes\u034F")]
    public void In_any_word_mode_invisible_characters_around_words_are_trimmed(string text)
    {
        Assert.Equal(VoteSide.For, VoteMatcher.Match(text, AnyWord));
    }

    [Fact]
    public void In_any_word_mode_an_invisible_character_inside_a_word_makes_it_another_word()
    {
        Assert.Equal(VoteSide.None, VoteMatcher.Match("so y\u200Bes", AnyWord));
    }

    [Fact]
    public void Words_are_compared_in_the_normal_form_case_insensitively()
    {
        var configuration = OverlayConfiguration.Default with
        {
            ForTriggers = ["caf\u00E9"], AgainstTriggers = ["\u00C4rger"], MatchMode = TriggerMatchMode.AnyWord,
        };

        Assert.Equal(VoteSide.For, VoteMatcher.Match("ein CAFE\u0301 bitte", configuration));
        Assert.Equal(VoteSide.Against, VoteMatcher.Match("so ein \u00E4rger!", configuration));
    }

    [Fact]
    public void Emote_names_in_the_message_text_count_like_typed_words()
    {
        // Twitch's message text carries each emote fragment's name: "Kappa" here was an emote fragment.
        Assert.Equal(VoteSide.For, VoteMatcher.Match("gg Kappa", AnyWord));
        Assert.Equal(VoteSide.None, VoteMatcher.Match("gg Kappa", Aliases));
    }

    [Fact]
    public void Ten_triggers_a_side_match_in_any_word_mode()
    {
        var configuration = OverlayConfiguration.Default with
        {
            ForTriggers = [.. Enumerable.Range(0, 10).Select(i => $"for{i}")],
            AgainstTriggers = [.. Enumerable.Range(0, 10).Select(i => $"against{i}")],
            MatchMode = TriggerMatchMode.AnyWord,
        };
        var filler = string.Join(' ', Enumerable.Repeat("lorem", 30));

        Assert.Empty(configuration.Validate());
        Assert.Equal(VoteSide.For, VoteMatcher.Match($"{filler} FOR9!", configuration));
        Assert.Equal(VoteSide.Against, VoteMatcher.Match($"against0 {filler}", configuration));
        Assert.Equal(VoteSide.None, VoteMatcher.Match($"for3 {filler} against7", configuration));
        Assert.Equal(VoteSide.None, VoteMatcher.Match(filler, configuration));
    }
}
