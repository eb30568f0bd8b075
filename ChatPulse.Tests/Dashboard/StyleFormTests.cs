using AngleSharp.Html.Dom;
using ChatPulse.Api.Streamers;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Dashboard;

/// <summary>The look fields of the configuration form through real HTTP: refused next to the field, or saved and pushed.</summary>
[Collection(AppHostCollection.Name)]
public sealed class StyleFormTests(AppHostFixture fixture) : IAsyncLifetime
{
    private LoginReplica _replica = null!;
    private Visitor _signedIn = null!;
    private StreamerStore _store = null!;
    private Streamer _streamer = null!;

    public async Task InitializeAsync()
    {
        _replica = await LoginReplica.SharedAsync(fixture);
        (_signedIn, _streamer) = await TwitchLogin.SignInNewStreamerAsync(_replica, "stylist");
        _store = new StreamerStore(_replica.Database);
    }

    public Task DisposeAsync()
    {
        _signedIn.Dispose();
        return Task.CompletedTask;
    }

    public static TheoryData<string, string, string> Violations => new()
    {
        { "Form.Style.ForColor", "red", "A colour must be #RRGGBB (six hex digits)." },
        { "Form.Style.AgainstColor", "#e74c3", "A colour must be #RRGGBB (six hex digits)." },
        { "Form.Style.TextColor", "#ffffffff", "A colour must be #RRGGBB (six hex digits)." },
        { "Form.Style.Font", "papyrus", "Font must be sans, serif, mono, rounded or condensed." },
        { "Form.Style.LabelPosition", "left", "Label position must be above, below or inside." },
        { "Form.Style.CornerRadius", "51", "Corner radius must be 0–50 (% of the bar's height)." },
        { "Form.Style.HideWhenIdleSeconds", "0", "Hide when idle must be 1–3600 seconds, or never." },
        { "Form.DisplayMode", "hexagon", "Display mode must be combined, split or ring." },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task A_bad_style_value_is_a_422_shown_next_to_its_field_and_nothing_is_saved(string field, string value, string message)
    {
        using var visitor = _signedIn.WithSessionTo(_replica.BaseAddress);
        var before = await _store.GetConfigurationAsync(_streamer.Id, default);

        var (status, page) = await SaveAsync(visitor, new Dictionary<string, string?> { [field] = value });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var error = page.QuerySelector($"span[data-valmsg-for='{field}']")!;
        Assert.Equal(message, error.TextContent.Trim());
        Assert.Single(page.QuerySelectorAll(".field-validation-error"));
        Assert.Equal(value, ((IHtmlInputElement?)page.QuerySelector($"input[name='{field}']"))?.Value ?? value); // the edit stays in the form
        Assert.Equal(before, await _store.GetConfigurationAsync(_streamer.Id, default));
    }

    [Fact]
    public async Task A_valid_style_is_saved_and_every_replica_is_told()
    {
        using var visitor = _signedIn.WithSessionTo(_replica.BaseAddress);
        await using var events = await StreamerEventRecorder.StartAsync(fixture.RedisConnectionString);

        var (status, _) = await SaveAsync(visitor, new Dictionary<string, string?>
        {
            ["Form.DisplayMode"] = "ring", ["Form.Style.ForColor"] = " #00C853 ", ["Form.Style.Font"] = "mono",
            ["Form.Style.LabelPosition"] = "inside", ["Form.Style.ShowPercentages"] = "false", ["Form.Style.CornerRadius"] = "50",
            ["Form.Style.HideWhenIdleSeconds"] = "20",
        });

        Assert.Equal(HttpStatusCode.OK, status);
        var saved = (await _store.GetConfigurationAsync(_streamer.Id, default))!;
        Assert.Equal(DisplayMode.Ring, saved.DisplayMode);
        Assert.Equal(OverlayStyle.Default with
        {
            ForColor = "#00c853", Font = OverlayFont.Mono, LabelPosition = LabelPosition.Inside, ShowPercentages = false, CornerRadius = 50,
            HideWhenIdleSeconds = 20,
        }, saved.Style);
        await events.WaitForAsync(StreamerEventKind.ConfigurationChanged, _streamer.TwitchUserId);
    }

    private static async Task<(HttpStatusCode Status, IHtmlDocument Page)> SaveAsync(Visitor visitor, IReadOnlyDictionary<string, string?> changes)
    {
        var dashboard = visitor.Resolve("/dashboard");
        var page = await visitor.PageAsync("/dashboard");
        var form = (IHtmlFormElement)page.QuerySelector("[data-testid=config-form]")!;
        using var response = await visitor.PostFormAsync(Visitor.ActionOf(form, dashboard), Visitor.FieldsOf(form, changes));
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            using var followed = await visitor.GetAsync(response.Headers.Location!.OriginalString);
            return (followed.StatusCode, await Visitor.ParseAsync(followed));
        }

        return (response.StatusCode, await Visitor.ParseAsync(response));
    }
}
