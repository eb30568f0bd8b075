using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;

namespace ChatPulse.Tests.BadInput;

/// <summary>One normal form for chat text and triggers (VoteMatcher.Normalize) and one "same trigger" rule (TriggerKey).</summary>
public sealed class TextNormalizationTests
{
    [Theory]
    [InlineData("yes\u200B")] // saved before, matched nothing: chat text lost its U+200B, the trigger kept it
    [InlineData("\uFEFFyes")]
    [InlineData("yes\U000E0000")]
    [InlineData(" yes\u034F ")]
    public void A_trigger_with_invisible_characters_matches_the_chat_text_without_them(string trigger)
    {
        var configuration = OverlayConfiguration.Default with { ForTriggers = [trigger] };

        Assert.Equal(VoteSide.For, VoteMatcher.Match("yes", configuration));
        Assert.Equal(VoteSide.For, VoteMatcher.Match("yes\U000E0000", configuration));
        Assert.Equal("yes", configuration.Normalized().ForTriggers.Single());
    }

    [Theory]
    [InlineData("yes\uFFFF")]
    [InlineData("\uFFFEno")]
    [InlineData("\U0010FFFF")]
    public void Text_normalisation_refuses_is_compared_as_it_is_and_never_throws(string text)
    {
        var configuration = OverlayConfiguration.Default with { ForTriggers = [text] };

        Assert.Equal(text, VoteMatcher.Normalize(text).ToString());
        Assert.Equal(VoteSide.For, VoteMatcher.Match(" " + text, configuration));
    }

    [Fact]
    public void Composed_and_decomposed_forms_are_one_text()
    {
        var composed = OverlayConfiguration.Default with { ForTriggers = ["caf\u00E9"] };
        var decomposed = OverlayConfiguration.Default with { ForTriggers = ["cafe\u0301"] };

        Assert.Equal(VoteSide.For, VoteMatcher.Match("cafe\u0301", composed));
        Assert.Equal(VoteSide.For, VoteMatcher.Match("CAF\u00C9", decomposed));
        Assert.Equal("caf\u00E9", decomposed.Normalized().ForTriggers.Single());
        Assert.Equal(VoteMatcher.TriggerKey("caf\u00E9"), VoteMatcher.TriggerKey(" cafe\u0301\u200B"));
    }

    [Fact]
    public void Ascii_text_is_returned_as_a_slice_of_itself()
    {
        const string text = "  yes  ";

        var normalized = VoteMatcher.Normalize(text);

        Assert.Equal("yes", normalized.ToString());
        Assert.True(normalized.Overlaps(text.AsSpan())); // no copy on the hot path
    }

    [Fact]
    public void Text_with_a_lone_surrogate_is_trimmed_but_never_throws_and_matches_nothing()
    {
        var text = "yes" + '\uD800'; // built in code: xUnit's theory data would replace a lone surrogate

        Assert.Equal(text, VoteMatcher.Normalize(" " + text).ToString());
        Assert.False(VoteMatcher.IsValidUtf16(text));
        Assert.True(VoteMatcher.IsValidUtf16("ok \U0001F600"));
        Assert.Equal(VoteSide.None, VoteMatcher.Match(text, OverlayConfiguration.Default));
    }

    [Theory]
    [InlineData("\u00DF", "\u1E9E")] // ß / ẞ
    [InlineData("i", "\u0130")] // i / İ
    [InlineData("k", "\u212A")] // k / Kelvin sign
    [InlineData("\u03C3", "\u03C2")] // σ / ς
    [InlineData("ja", "JA")]
    [InlineData("\u00E4h", "\u00C4H")]
    [InlineData("\U00010428", "\U00010400")] // Deseret, a surrogate pair with a case pair
    [InlineData("yes", "yes\u200B")]
    [InlineData("caf\u00E9", "CAFE\u0301")]
    public void The_same_trigger_means_some_chat_text_matches_both(string first, string second)
    {
        var configuration = OverlayConfiguration.Default with { ForTriggers = [first], AgainstTriggers = [second] };
        var sameKey = VoteMatcher.TriggerKey(first) == VoteMatcher.TriggerKey(second);
        // Against is reachable exactly when the triggers differ: chat typed as the second trigger must vote against.
        var matchesBoth = VoteMatcher.Match(second, configuration) == VoteSide.For;

        Assert.Equal(sameKey, matchesBoth);
        Assert.Equal(sameKey, configuration.Validate().ContainsKey(nameof(OverlayConfiguration.AgainstTriggers)));
    }

    [Fact]
    public void Ordinal_ignore_case_is_key_equality_for_every_character_and_its_case_pairs()
    {
        // The matcher compares with OrdinalIgnoreCase, the database compares keys: one rule only if they agree.
        for (var c = 0; c <= 0xFFFF; c++)
        {
            if (c is >= 0xD800 and <= 0xDFFF)
            {
                continue;
            }

            var text = VoteMatcher.Normalize(((char)c).ToString()).ToString(); // NFC maps a few singletons (U+0340 → U+0300)
            if (text.Length == 0)
            {
                continue; // white space and invisible characters are no trigger at all
            }

            var key = VoteMatcher.TriggerKey(text);

            Assert.True(string.Equals(text, key, StringComparison.OrdinalIgnoreCase), $"U+{c:X4}");
            Assert.Equal(key, VoteMatcher.TriggerKey(key));
            foreach (var other in new[] { text.ToLowerInvariant(), text.ToUpperInvariant(), char.ToLowerInvariant(key[0]).ToString() })
            {
                Assert.True(string.Equals(text, other, StringComparison.OrdinalIgnoreCase) == (key == VoteMatcher.TriggerKey(other)),
                    $"U+{c:X4} vs {other}");
            }
        }
    }

    [Fact]
    public void A_lone_surrogate_in_a_trigger_is_a_field_error()
    {
        var errors = (OverlayConfiguration.Default with { ForTriggers = ["yes" + '\uDC00'] }).Validate();

        Assert.Equal("A trigger cannot contain control characters.", errors[nameof(OverlayConfiguration.ForTriggers)]);
    }

    [Theory]
    [InlineData("ForTriggers", "ye\0s", "A trigger cannot contain control characters.")]
    [InlineData("AgainstTriggers", "n\u0001o", "A trigger cannot contain control characters.")]
    [InlineData("ForTriggers", "y\u0085es", "A trigger cannot contain control characters.")]
    [InlineData("ForLabel", "Y\0", "A label cannot contain control characters.")]
    [InlineData("AgainstLabel", "line\nbreak", "A label cannot contain control characters.")]
    [InlineData("ForTriggers", "\u200B\u200B", "A trigger cannot be empty.")]
    public void Control_characters_are_a_field_error(string field, string value, string message)
    {
        var configuration = field switch
        {
            "ForTriggers" => OverlayConfiguration.Default with { ForTriggers = [value] },
            "AgainstTriggers" => OverlayConfiguration.Default with { AgainstTriggers = [value] },
            "ForLabel" => OverlayConfiguration.Default with { ForLabel = value },
            _ => OverlayConfiguration.Default with { AgainstLabel = value },
        };

        var errors = configuration.Validate();

        Assert.Equal(message, Assert.Single(errors, e => e.Key == field).Value);
    }

    [Fact]
    public void A_trailing_newline_is_trimmed_not_refused()
    {
        Assert.Empty((OverlayConfiguration.Default with { ForTriggers = ["yes\r\n"] }).Validate());
    }
}
