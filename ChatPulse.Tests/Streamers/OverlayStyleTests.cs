using ChatPulse.Api.Dashboard;
using ChatPulse.Api.Streamers;

namespace ChatPulse.Tests.Streamers;

/// <summary>The overlay style's rules, as the configuration and the dashboard form apply them.</summary>
public sealed class OverlayStyleTests
{
    [Fact]
    public void Default_is_today_s_look_and_valid()
    {
        Assert.Empty(OverlayStyle.Default.Validate());
        Assert.Equal(("#2ecc71", "#e74c3c", "#ffffff", OverlayFont.Sans, LabelPosition.Above), (OverlayStyle.Default.ForColor,
            OverlayStyle.Default.AgainstColor, OverlayStyle.Default.TextColor, OverlayStyle.Default.Font, OverlayStyle.Default.LabelPosition));
    }

    [Theory]
    [InlineData("#00C853", true)]
    [InlineData("#00c853", true)]
    [InlineData("00c853", false)]
    [InlineData("#00c85", false)]
    [InlineData("#00c8533", false)]
    [InlineData("#00g853", false)]
    [InlineData("green", false)]
    [InlineData("", false)]
    public void A_colour_is_hash_and_six_hex_digits(string color, bool valid)
    {
        var errors = (OverlayConfiguration.Default with { Style = OverlayStyle.Default with { TextColor = color } }).Validate();

        Assert.Equal(valid ? [] : ["Style.TextColor"], errors.Keys);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(50, true)]
    [InlineData(-1, false)]
    [InlineData(51, false)]
    public void Corner_radius_is_0_to_50(int radius, bool valid) =>
        Assert.Equal(valid, (OverlayStyle.Default with { CornerRadius = radius }).Validate().Count == 0);

    [Theory]
    [InlineData(null, true)]
    [InlineData(1, true)]
    [InlineData(3600, true)]
    [InlineData(0, false)]
    [InlineData(3601, false)]
    public void Hide_when_idle_is_1_to_3600_seconds_or_never(int? seconds, bool valid) =>
        Assert.Equal(valid, (OverlayStyle.Default with { HideWhenIdleSeconds = seconds }).Validate().Count == 0);

    [Theory]
    [InlineData("ForColor", "#12345", "#RRGGBB")]
    [InlineData("Font", "comic-sans", "sans, serif, mono, rounded or condensed")]
    [InlineData("Font", "1", "sans, serif, mono, rounded or condensed")]
    [InlineData("LabelPosition", "left", "above, below or inside")]
    [InlineData("CornerRadius", "round", "0–50")]
    [InlineData("HideWhenIdleSeconds", "soon", "1–3600")]
    public void The_form_reports_each_style_rule_on_its_field(string field, string value, string message)
    {
        var form = ConfigurationForm.From(OverlayConfiguration.Default);
        typeof(StyleForm).GetProperty(field)!.SetValue(form.Style, value);

        var (_, errors) = form.ToConfiguration();

        Assert.Equal($"Style.{field}", Assert.Single(errors).Key);
        Assert.Contains(message, errors[$"Style.{field}"]);
    }

    [Fact]
    public void A_style_round_trips_through_the_form_and_json_lower_cased()
    {
        var style = new OverlayStyle("#ABCDEF", "#000000", "#FFFFFF", OverlayFont.Condensed, LabelPosition.Inside,
            ShowPercentages: false, ShowVotes: true, ShowLabels: false, CornerRadius: 0, HideWhenIdleSeconds: 45);
        var stored = OverlayConfiguration.Default with { DisplayMode = DisplayMode.Ring, Style = style };

        var (configuration, errors) = ConfigurationForm.From(stored).ToConfiguration();

        Assert.Empty(errors);
        Assert.Equal(stored, configuration);
        Assert.Equal(style with { ForColor = "#abcdef", TextColor = "#ffffff" }, OverlayStyle.FromJson(configuration.Normalized().Style.ToJson()));
        Assert.Contains("\"font\":\"condensed\"", style.ToJson());
        Assert.Equal(["Style"], StreamerActions.ChangedFields(stored, stored with { Style = style with { ShowVotes = false } }));
    }
}
