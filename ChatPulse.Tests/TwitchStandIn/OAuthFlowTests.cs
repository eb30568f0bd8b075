using System.Net.Http.Headers;
using ChatPulse.Tests.Support;
using Microsoft.AspNetCore.WebUtilities;

namespace ChatPulse.Tests.TwitchStandIn;

/// <summary>The authorization-code flow against the stand-in over real HTTP, as the API and a browser drive it.</summary>
[Collection(AppHostCollection.Name)]
public sealed class OAuthFlowTests(AppHostFixture fixture)
{
    [Fact]
    public async Task Authorize_approve_code_token_validate_and_users_name_the_same_user()
    {
        using var app = await StandInApp.RegisterAsync(fixture.TwitchStandInBaseAddress);
        var login = StandInApp.UniqueLogin("streamer");

        using var page = await app.Http.GetAsync(AuthorizeUrl(app, "channel:bot", "st4te"));
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("name=\"new_login\"", html);
        Assert.Contains("chatpulsebot", html); // the seeded bot is one of the users to pick

        using var approved = await PostConsentAsync(app, "channel:bot", "st4te", ("decision", "approve"), ("new_login", login));
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        var location = approved.Headers.Location!;
        Assert.StartsWith(app.RedirectUri + "?", location.ToString());
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal("st4te", query["state"]);
        Assert.Equal("channel:bot", query["scope"]);

        using var exchanged = await TokenAsync(app, ("grant_type", "authorization_code"), ("code", query["code"]!), ("redirect_uri", app.RedirectUri));
        Assert.Equal(HttpStatusCode.OK, exchanged.StatusCode);
        using var token = await StandInApp.ReadJsonAsync(exchanged);
        var accessToken = token.RootElement.GetProperty("access_token").GetString()!;
        Assert.Matches("^[a-z0-9]{30}$", accessToken);
        Assert.False(string.IsNullOrEmpty(token.RootElement.GetProperty("refresh_token").GetString()));
        Assert.Equal("bearer", token.RootElement.GetProperty("token_type").GetString());
        Assert.True(token.RootElement.GetProperty("expires_in").GetInt32() > 3600);
        Assert.Equal(["channel:bot"], token.RootElement.GetProperty("scope").EnumerateArray().Select(s => s.GetString()));

        using var validateRequest = new HttpRequestMessage(HttpMethod.Get, "/oauth2/validate");
        validateRequest.Headers.Authorization = new AuthenticationHeaderValue("OAuth", accessToken);
        using var validated = await app.Http.SendAsync(validateRequest);
        using var validation = await StandInApp.ReadJsonAsync(validated);
        Assert.Equal(HttpStatusCode.OK, validated.StatusCode);
        Assert.Equal(app.ClientId, validation.RootElement.GetProperty("client_id").GetString());
        Assert.Equal(login, validation.RootElement.GetProperty("login").GetString());

        using var users = await app.HelixAsync(HttpMethod.Get, "/users", token: accessToken);
        using var me = await StandInApp.ReadJsonAsync(users);
        var user = me.RootElement.GetProperty("data").EnumerateArray().Single();
        Assert.Equal(login, user.GetProperty("login").GetString());
        Assert.Equal(validation.RootElement.GetProperty("user_id").GetString(), user.GetProperty("id").GetString());
        Assert.Matches("^[0-9]+$", user.GetProperty("id").GetString()!);
        Assert.False(string.IsNullOrEmpty(user.GetProperty("display_name").GetString()));
    }

    [Fact]
    public async Task A_redirect_uri_that_differs_from_the_registered_one_gets_an_error_page_and_no_redirect()
    {
        using var app = await StandInApp.RegisterAsync(fixture.TwitchStandInBaseAddress);
        var url = QueryHelpers.AddQueryString("/oauth2/authorize", new Dictionary<string, string?>
        {
            ["response_type"] = "code", ["client_id"] = app.ClientId, ["redirect_uri"] = app.RedirectUri + "/",
            ["scope"] = "channel:bot", ["state"] = "s",
        });

        using var page = await app.Http.GetAsync(url);
        using var consent = await PostConsentAsync(app, "channel:bot", "s", ("decision", "approve"), ("new_login", StandInApp.UniqueLogin("evil")), ("redirect_uri", "http://evil.example/cb"));

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Null(page.Headers.Location);
        Assert.Contains("redirect_mismatch", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, consent.StatusCode);
        Assert.Null(consent.Headers.Location);
    }

    [Fact]
    public async Task A_code_exchanged_with_another_redirect_uri_than_at_authorize_gets_400_in_twitchs_shape_and_no_token()
    {
        using var app = await StandInApp.RegisterAsync(fixture.TwitchStandInBaseAddress);
        using var approved = await PostConsentAsync(app, "channel:bot", "s", ("decision", "approve"), ("new_login", StandInApp.UniqueLogin("moved")));
        var code = QueryHelpers.ParseQuery(approved.Headers.Location!.Query)["code"].ToString();

        using var exchanged = await TokenAsync(app, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", app.RedirectUri + "/"));
        using var body = await StandInApp.ReadJsonAsync(exchanged);

        Assert.StartsWith(app.RedirectUri + "?", approved.Headers.Location!.ToString()); // authorized with the registered URI
        Assert.Equal(HttpStatusCode.BadRequest, exchanged.StatusCode);
        Assert.Equal(["message", "status"], body.RootElement.EnumerateObject().Select(p => p.Name).Order()); // id.twitch.tv's error shape
        Assert.Equal(400, body.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("Parameter redirect_uri does not match registered URI", body.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task An_unknown_client_id_gets_an_error_page()
    {
        using var app = await StandInApp.RegisterAsync(fixture.TwitchStandInBaseAddress);

        using var page = await app.Http.GetAsync($"/oauth2/authorize?response_type=code&client_id=nobody&redirect_uri={Uri.EscapeDataString(app.RedirectUri)}&scope=channel%3Abot&state=s");

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("invalid client", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Deny_returns_access_denied_with_the_state()
    {
        using var app = await StandInApp.RegisterAsync(fixture.TwitchStandInBaseAddress);

        using var denied = await PostConsentAsync(app, "channel:bot", "xyz", ("decision", "deny"));

        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        var query = QueryHelpers.ParseQuery(denied.Headers.Location!.Query);
        Assert.Equal("access_denied", query["error"]);
        Assert.False(string.IsNullOrEmpty(query["error_description"]));
        Assert.Equal("xyz", query["state"]);
        Assert.False(query.ContainsKey("code"));
    }

    [Fact]
    public async Task A_code_works_once_and_refresh_and_revoke_behave_like_twitch()
    {
        using var app = await StandInApp.RegisterAsync(fixture.TwitchStandInBaseAddress);
        using var approved = await PostConsentAsync(app, "channel:bot", "s", ("decision", "approve"), ("new_login", StandInApp.UniqueLogin("once")));
        var code = QueryHelpers.ParseQuery(approved.Headers.Location!.Query)["code"].ToString();

        using var first = await TokenAsync(app, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", app.RedirectUri));
        using var second = await TokenAsync(app, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", app.RedirectUri));
        using var firstBody = await StandInApp.ReadJsonAsync(first);
        using var secondBody = await StandInApp.ReadJsonAsync(second);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal("Invalid authorization code", secondBody.RootElement.GetProperty("message").GetString());

        var refresh = firstBody.RootElement.GetProperty("refresh_token").GetString()!;
        using var refreshed = await TokenAsync(app, ("grant_type", "refresh_token"), ("refresh_token", refresh));
        using var refreshedBody = await StandInApp.ReadJsonAsync(refreshed);
        var newAccess = refreshedBody.RootElement.GetProperty("access_token").GetString()!;
        Assert.NotEqual(firstBody.RootElement.GetProperty("access_token").GetString(), newAccess);

        using var revoked = await app.Http.PostAsync("/oauth2/revoke", Form(("client_id", app.ClientId), ("token", newAccess)));
        using var validateRequest = new HttpRequestMessage(HttpMethod.Get, "/oauth2/validate");
        validateRequest.Headers.Authorization = new AuthenticationHeaderValue("OAuth", newAccess);
        using var validated = await app.Http.SendAsync(validateRequest);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, validated.StatusCode);
        using var error = await StandInApp.ReadJsonAsync(validated);
        Assert.Equal(401, error.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("invalid access token", error.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_wrong_client_secret_is_403_and_an_app_token_validates_without_a_user()
    {
        using var app = await StandInApp.RegisterAsync(fixture.TwitchStandInBaseAddress);

        using var wrong = await app.Http.PostAsync("/oauth2/token", Form(("client_id", app.ClientId), ("client_secret", "nope"), ("grant_type", "client_credentials")));
        using var validateRequest = new HttpRequestMessage(HttpMethod.Get, "/oauth2/validate");
        validateRequest.Headers.Authorization = new AuthenticationHeaderValue("OAuth", await app.AppTokenAsync());
        using var validated = await app.Http.SendAsync(validateRequest);
        using var body = await StandInApp.ReadJsonAsync(validated);

        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, validated.StatusCode);
        Assert.False(body.RootElement.TryGetProperty("user_id", out _));
        Assert.Empty(body.RootElement.GetProperty("scopes").EnumerateArray());
    }

    private static string AuthorizeUrl(StandInApp app, string scope, string state) =>
        QueryHelpers.AddQueryString("/oauth2/authorize", new Dictionary<string, string?>
        {
            ["response_type"] = "code", ["client_id"] = app.ClientId, ["redirect_uri"] = app.RedirectUri, ["scope"] = scope, ["state"] = state,
        });

    /// <summary>What the consent form posts (the browser sends the hidden fields back).</summary>
    private static Task<HttpResponseMessage> PostConsentAsync(StandInApp app, string scope, string state, params (string Key, string Value)[] fields)
    {
        var form = new Dictionary<string, string>
        {
            ["response_type"] = "code", ["client_id"] = app.ClientId, ["redirect_uri"] = app.RedirectUri, ["scope"] = scope, ["state"] = state,
        };
        foreach (var (key, value) in fields)
        {
            form[key] = value;
        }

        return app.Http.PostAsync("/oauth2/authorize", new FormUrlEncodedContent(form));
    }

    private static Task<HttpResponseMessage> TokenAsync(StandInApp app, params (string Key, string Value)[] fields) =>
        app.Http.PostAsync("/oauth2/token", Form([("client_id", app.ClientId), ("client_secret", app.ClientSecret), .. fields]));

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));
}
