using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using ChatPulse.Api.Platform;
using ChatPulse.Api.Streamers;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Dashboard;

/// <summary>The configuration form through real HTTP: every rule shown next to its field, nothing saved on error.</summary>
[Collection(AppHostCollection.Name)]
public sealed class DashboardFormTests(AppHostFixture fixture) : IAsyncLifetime
{
    private ApiInstance _replica = null!;
    private Visitor _signedIn = null!;
    private StreamerStore _store = null!;
    private Streamer _streamer = null!;

    public async Task InitializeAsync()
    {
        _replica = await ApiInstance.SharedAsync(fixture);
        (_signedIn, _streamer) = await TwitchLogin.SignInNewStreamerAsync(_replica, "former");
        _store = new StreamerStore(_replica.Database);
    }

    public Task DisposeAsync()
    {
        _signedIn.Dispose(); // the shared replica goes with the fixture
        return Task.CompletedTask;
    }

    public static TheoryData<string, string, string> Violations => new()
    {
        { "ForTriggers", "  ", "Give at least one trigger." },
        { "AgainstTriggers", "", "Give at least one trigger." },
        { "ForTriggers", new string('x', 101), "A trigger can be at most 100 characters." },
        { "AgainstTriggers", "YES", "“YES” is on both sides: a trigger can count for one side only (case-insensitively)." },
        { "ForTriggers", string.Join("\r\n", Enumerable.Range(0, 11).Select(i => $"y{i}")), "At most 10 triggers per side (this side has 11)." },
        { "ForTriggers", "yes\r\nYES", "“YES” is listed twice (case-insensitively)." },
        { "MatchMode", "substring", "Match mode must be whole message or any word." },
        { "ForLabel", new string('l', 51), "A label can be at most 50 characters." },
        { "AgainstLabel", new string('l', 51), "A label can be at most 50 characters." },
        { "MemorySeconds", "4", "Memory must be 5–120 seconds, or infinite." },
        { "MemorySeconds", "121", "Memory must be 5–120 seconds, or infinite." },
        { "MemorySeconds", "soon", "Memory must be 5–120 seconds, or infinite." },
        { "DisplayMode", "sideways", "Display mode must be combined, split or ring." },
        { "Theme", "neon", "Theme must be dark or light." },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task A_rule_violation_is_shown_next_to_its_field_and_nothing_is_saved(string field, string value, string message)
    {
        using var visitor = _signedIn.WithSessionTo(_replica.BaseAddress); // own client IP: the theory stays under the rate limit
        var before = await _store.GetConfigurationAsync(_streamer.Id, default);

        var (response, page) = await SaveAsync(visitor, new Dictionary<string, string?> { [$"Form.{field}"] = value });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response);
        var error = page.QuerySelector($"span[data-valmsg-for='Form.{field}']")!;
        Assert.Equal(message, error.TextContent.Trim());
        Assert.Contains("field-validation-error", error.ClassList);
        Assert.Single(page.QuerySelectorAll(".field-validation-error")); // only that field
        Assert.Contains("Nothing was saved", page.QuerySelector("[data-testid=notice]")!.TextContent);
        Assert.Equal(before, await _store.GetConfigurationAsync(_streamer.Id, default));
    }

    [Fact]
    public async Task A_valid_save_bumps_the_version_tells_every_replica_and_audits_the_changed_fields()
    {
        using var visitor = _signedIn.WithSessionTo(_replica.BaseAddress);
        await using var events = await StreamerEventRecorder.StartAsync(fixture.RedisConnectionString);
        var before = (await _store.GetConfigurationAsync(_streamer.Id, default))!;

        var (status, page) = await SaveAsync(visitor, new Dictionary<string, string?>
        {
            ["Form.ForTriggers"] = "  W ", ["Form.AgainstTriggers"] = "L", ["Form.AgainstLabel"] = "",
            ["Form.MemoryInfinite"] = "true", ["Form.DisplayMode"] = "split", ["Form.Theme"] = "light",
        });

        var saved = (await _store.GetConfigurationAsync(_streamer.Id, default))!;
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Saved", page.QuerySelector("[data-testid=notice]")!.TextContent);
        Assert.Equal(before.Version + 1, saved.Version);
        Assert.Equal(("W", "L", "", (int?)null, DisplayMode.Split, OverlayTheme.Light),
            (saved.ForTriggers.Single(), saved.AgainstTriggers.Single(), saved.AgainstLabel, saved.MemorySeconds, saved.DisplayMode, saved.Theme));
        Assert.Equal("W", ((IHtmlTextAreaElement)page.QuerySelector("#Form_ForTriggers")!).Value); // the reloaded form shows it
        Assert.Equal(saved.Version.ToString(), page.QuerySelector("[data-testid=version]")!.TextContent);
        await events.WaitForAsync(StreamerEventKind.ConfigurationChanged, _streamer.TwitchUserId);
        var audit = await _replica.WaitForLogAsync(e => e.Category == AuditLog.Category && e.Value("Action") == "configuration_saved"
            && e.Value("StreamerId") == _streamer.Id.ToString() && e.Value("Version") == saved.Version.ToString(), "the save's audit entry");
        Assert.Equal(["ForTriggers", "AgainstTriggers", "AgainstLabel", "MemorySeconds", "DisplayMode", "Theme"],
            audit.Value("ChangedFields")!.Split(','));
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_a_400_and_saves_nothing()
    {
        using var visitor = _signedIn.WithSessionTo(_replica.BaseAddress);
        var before = await _store.GetConfigurationAsync(_streamer.Id, default);
        var page = await visitor.PageAsync("/dashboard");
        var form = (IHtmlFormElement)page.QuerySelector("[data-testid=config-form]")!;

        using var noToken = await visitor.PostFormAsync(Visitor.ActionOf(form, visitor.Resolve("/dashboard")),
            Visitor.FieldsOf(form, new Dictionary<string, string?> { ["__RequestVerificationToken"] = null, ["Form.ForLabel"] = "Hacked" }));
        using var badToken = await visitor.PostFormAsync(Visitor.ActionOf(form, visitor.Resolve("/dashboard")),
            Visitor.FieldsOf(form, new Dictionary<string, string?> { ["__RequestVerificationToken"] = "forged", ["Form.ForLabel"] = "Hacked" }));

        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badToken.StatusCode);
        Assert.Equal(before, await _store.GetConfigurationAsync(_streamer.Id, default));
    }

    /// <summary>Loads the dashboard, submits the configuration form with changes, follows a redirect back.</summary>
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
