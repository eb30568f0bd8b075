using System.Text;
using AngleSharp.Html.Dom;
using ChatPulse.Api.Streamers;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.BadInput;

/// <summary>The configuration form with input that used to reach Postgres and fail there (a 500): now a field error or a save.</summary>
[Collection(AppHostCollection.Name)]
public sealed class DashboardBadInputTests(AppHostFixture fixture) : IAsyncLifetime
{
    private ApiInstance _replica = null!;
    private Visitor _signedIn = null!;
    private Streamer _streamer = null!;

    public async Task InitializeAsync()
    {
        _replica = await ApiInstance.SharedAsync(fixture);
        (_signedIn, _streamer) = await TwitchLogin.SignInNewStreamerAsync(_replica, "badform");
    }

    public Task DisposeAsync()
    {
        _signedIn.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("Form.ForLabel", "A label cannot contain control characters.")]
    [InlineData("Form.AgainstTriggers", "A trigger cannot contain control characters.")]
    public async Task A_raw_nul_sent_as_multipart_is_a_field_error_and_nothing_is_saved(string field, string message)
    {
        var store = new StreamerStore(_replica.Database);
        var before = await store.GetConfigurationAsync(_streamer.Id, default);

        var (status, page) = await SaveMultipartAsync(field, [(byte)'n', 0x00, (byte)'o']);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(message, page.QuerySelector($"span[data-valmsg-for='{field}']")!.TextContent.Trim());
        Assert.Equal(before, await store.GetConfigurationAsync(_streamer.Id, default));
    }

    [Fact]
    public async Task Triggers_the_database_once_called_equal_are_saved_and_an_invisible_character_is_dropped()
    {
        var (status, _) = await SaveAsync(new Dictionary<string, string?> { ["Form.ForTriggers"] = "\u1E9E\u200B", ["Form.AgainstTriggers"] = "\u00DF" });

        var saved = (await new StreamerStore(_replica.Database).GetConfigurationAsync(_streamer.Id, default))!;
        Assert.Equal(HttpStatusCode.OK, status); // before: 500, the CHECK's 23514
        Assert.Equal(("\u1E9E", "\u00DF"), (saved.ForTriggers.Single(), saved.AgainstTriggers.Single()));
    }

    private async Task<(HttpStatusCode Status, IHtmlDocument Page)> SaveMultipartAsync(string field, byte[] value)
    {
        using var visitor = new Visitor(_signedIn.Site, _signedIn.Cookies); // own client IP, same session
        var (form, action) = await FormAsync(visitor);
        using var content = new MultipartFormDataContent();
        foreach (var (name, text) in Visitor.FieldsOf(form).Where(f => f.Key != field))
        {
            content.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(text)), name);
        }

        content.Add(new ByteArrayContent(value), field);
        using var response = await visitor.Http.PostAsync(action, content);
        return (response.StatusCode, await Visitor.ParseAsync(response));
    }

    private async Task<(HttpStatusCode Status, IHtmlDocument Page)> SaveAsync(IReadOnlyDictionary<string, string?> changes)
    {
        using var visitor = new Visitor(_signedIn.Site, _signedIn.Cookies);
        var (form, action) = await FormAsync(visitor);
        using var response = await visitor.PostFormAsync(action, Visitor.FieldsOf(form, changes));
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            return (response.StatusCode, await Visitor.ParseAsync(response));
        }

        using var followed = await visitor.GetAsync(response.Headers.Location!.OriginalString);
        return (followed.StatusCode, await Visitor.ParseAsync(followed));
    }

    private static async Task<(IHtmlFormElement Form, Uri Action)> FormAsync(Visitor visitor)
    {
        var page = await visitor.PageAsync("/dashboard");
        var form = (IHtmlFormElement)page.QuerySelector("[data-testid=config-form]")!;
        return (form, Visitor.ActionOf(form, visitor.Resolve("/dashboard")));
    }
}
