using System.Text.Json;
using AngleSharp.Html.Dom;
using ChatPulse.Api.Streamers;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Dashboard;

/// <summary>
/// The look fields of the configuration form and the style API through real HTTP: a bad value refused next to its field
/// (or as a problem naming it), nothing saved; a good one saved and pushed.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class StyleFormTests(AppHostFixture fixture) : IAsyncLifetime
{
    private ApiInstance _replica = null!;
    private Visitor _signedIn = null!;
    private StreamerStore _store = null!;
    private Streamer _streamer = null!;

    public async Task InitializeAsync()
    {
        _replica = await ApiInstance.SharedAsync(fixture);
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

    [Theory]
    [InlineData("""{"forColor":"green"}""", "forColor")]
    [InlineData("""{"font":"papyrus","cornerRadius":20}""", "font")]
    [InlineData("""{"labelPosition":"left"}""", "labelPosition")]
    [InlineData("""{"cornerRadius":-1}""", "cornerRadius")]
    public async Task The_style_api_answers_a_bad_field_with_a_problem_naming_it_and_saves_nothing(string body, string field)
    {
        using var visitor = _signedIn.WithSessionTo(_replica.BaseAddress);
        var before = await _store.GetConfigurationAsync(_streamer.Id, default);

        using var response = await PatchStyleAsync(visitor, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal([field], problem.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Equal(before, await _store.GetConfigurationAsync(_streamer.Id, default));
    }

    [Fact]
    public async Task The_style_api_on_a_row_saved_under_older_rules_is_a_problem_naming_the_field_not_a_500()
    {
        // Migration 0005 keeps a trigger of up to 500 characters from before today's 100; the form asks to shorten it.
        var (visitor, streamer) = await TwitchLogin.SignInNewStreamerAsync(_replica, "legacy");
        using var _ = visitor;
        var longTrigger = new string('x', 300);
        await using (var command = _replica.Database.CreateCommand(
            "UPDATE overlay_configurations SET for_triggers = ARRAY[$2], for_trigger_keys = ARRAY[$3] WHERE streamer_id = $1"))
        {
            command.Parameters.AddWithValue(streamer.Id);
            command.Parameters.AddWithValue(longTrigger);
            command.Parameters.AddWithValue(longTrigger.ToUpperInvariant());
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var before = await _store.GetConfigurationAsync(streamer.Id, default);
        using var session = visitor.WithSessionTo(_replica.BaseAddress);
        using var response = await PatchStyleAsync(session, """{"forColor":"#123456"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["forTriggers"], problem.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Equal(before, await _store.GetConfigurationAsync(streamer.Id, default));
    }

    [Fact]
    public async Task The_style_api_saves_the_fields_it_is_given_and_needs_the_antiforgery_token()
    {
        using var visitor = _signedIn.WithSessionTo(_replica.BaseAddress);
        var before = (await _store.GetConfigurationAsync(_streamer.Id, default))!;

        using var noToken = await visitor.Http.PatchAsync(visitor.Resolve("/api/dashboard/style"),
            new StringContent("""{"textColor":"#000000"}""", System.Text.Encoding.UTF8, "application/json"));
        using var saved = await PatchStyleAsync(visitor, """{"textColor":"#ABCDEF","font":"rounded","hideWhenIdleSeconds":0}""");

        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal("rounded", JsonDocument.Parse(await saved.Content.ReadAsStringAsync()).RootElement.GetProperty("font").GetString());
        var after = (await _store.GetConfigurationAsync(_streamer.Id, default))!;
        Assert.Equal(before.Style with { TextColor = "#abcdef", Font = OverlayFont.Rounded, HideWhenIdleSeconds = null }, after.Style);
        Assert.Equal(before.Version + 1, after.Version);
    }

    private static async Task<HttpResponseMessage> PatchStyleAsync(Visitor visitor, string json)
    {
        var page = await visitor.PageAsync("/dashboard");
        var token = ((IHtmlInputElement)page.QuerySelector("[data-testid=config-form] input[name=__RequestVerificationToken]")!).Value;
        using var request = new HttpRequestMessage(HttpMethod.Patch, visitor.Resolve("/api/dashboard/style"))
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("RequestVerificationToken", token);
        return await visitor.Http.SendAsync(request);
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
