using System.Globalization;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.TwitchStandIn;

/// <summary>Every Helix call: Client-Id + Bearer token (401 like Twitch), rate-limit headers, injected 429/5xx.</summary>
[Collection(AppHostCollection.Name)]
public sealed class HelixGateTests(AppHostFixture fixture)
{
    [Fact]
    public async Task Calls_without_a_valid_token_or_a_client_id_or_with_another_apps_client_id_get_401_in_twitchs_shape()
    {
        using var app = await StandInApp.RegisterAsync(fixture.TwitchStandInBaseAddress);
        using var other = await StandInApp.RegisterAsync(fixture.TwitchStandInBaseAddress);

        using var noToken = new HttpRequestMessage(HttpMethod.Get, "/helix/eventsub/conduits");
        noToken.Headers.Add("Client-Id", app.ClientId);
        using var missing = await app.Http.SendAsync(noToken);
        using var noClientId = new HttpRequestMessage(HttpMethod.Get, "/helix/eventsub/conduits");
        noClientId.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await app.AppTokenAsync());
        using var anonymous = await app.Http.SendAsync(noClientId); // the app's own valid token, only the Client-Id left out
        using var invalid = await app.HelixAsync(HttpMethod.Get, "/eventsub/conduits", token: "notatokenatall");
        using var mismatched = await app.HelixAsync(HttpMethod.Get, "/eventsub/conduits", token: await other.AppTokenAsync());

        foreach (var (response, message) in new[]
        {
            (missing, "OAuth token is missing"), (anonymous, "Client ID is missing"), (invalid, "Invalid OAuth token"),
            (mismatched, "Client ID and OAuth token do not match"),
        })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            using var body = await StandInApp.ReadJsonAsync(response);
            Assert.Equal("Unauthorized", body.RootElement.GetProperty("error").GetString());
            Assert.Equal(401, body.RootElement.GetProperty("status").GetInt32());
            Assert.Equal(message, body.RootElement.GetProperty("message").GetString());
        }
    }

    [Fact]
    public async Task An_expired_app_token_gets_401()
    {
        using var app = await StandInApp.RegisterAsync(fixture.TwitchStandInBaseAddress);
        using var before = await app.HelixAsync(HttpMethod.Get, "/eventsub/conduits");

        using var expire = await app.Http.PostAsync("/standin/tokens/expire", System.Net.Http.Json.JsonContent.Create(new { client_id = app.ClientId }));
        using var after = await app.HelixAsync(HttpMethod.Get, "/eventsub/conduits");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task Rate_limit_headers_count_down_within_the_bucket()
    {
        using var app = await StandInApp.RegisterAsync(fixture.TwitchStandInBaseAddress);

        using var first = await app.HelixAsync(HttpMethod.Get, "/eventsub/conduits");
        using var second = await app.HelixAsync(HttpMethod.Get, "/eventsub/conduits");

        Assert.Equal("800", Header(first, "Ratelimit-Limit"));
        Assert.Equal(int.Parse(Header(first, "Ratelimit-Remaining"), CultureInfo.InvariantCulture) - 1, int.Parse(Header(second, "Ratelimit-Remaining"), CultureInfo.InvariantCulture));
        Assert.True(long.Parse(Header(first, "Ratelimit-Reset"), CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1);
    }

    [Fact]
    public async Task The_429_switch_fails_exactly_the_next_n_calls_with_a_reset_in_the_future()
    {
        using var app = await StandInApp.RegisterAsync(fixture.TwitchStandInBaseAddress);
        await app.AppTokenAsync();
        await app.InjectFaultAsync(429, count: 2, resetAfterSeconds: 5);
        var sent = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var first = await app.HelixAsync(HttpMethod.Get, "/eventsub/conduits");
        var answered = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var second = await app.HelixAsync(HttpMethod.Get, "/eventsub/conduits");
        using var third = await app.HelixAsync(HttpMethod.Get, "/eventsub/conduits");

        Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal("0", Header(first, "Ratelimit-Remaining"));
        var reset = long.Parse(Header(first, "Ratelimit-Reset"), CultureInfo.InvariantCulture);
        Assert.InRange(reset, sent + 5, answered + 6); // 5 s after the stand-in took it, rounded up to a whole second
        using var body = await StandInApp.ReadJsonAsync(first);
        Assert.Equal(429, body.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task The_5xx_switch_answers_the_chosen_status_then_recovers()
    {
        using var app = await StandInApp.RegisterAsync(fixture.TwitchStandInBaseAddress);
        await app.AppTokenAsync();
        await app.InjectFaultAsync(503, count: 1);

        using var failed = await app.HelixAsync(HttpMethod.Get, "/eventsub/conduits");
        using var recovered = await app.HelixAsync(HttpMethod.Get, "/eventsub/conduits");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
    }

    [Fact]
    public async Task Users_by_id_or_login_with_an_app_token()
    {
        using var app = await StandInApp.RegisterAsync(fixture.TwitchStandInBaseAddress);
        var login = StandInApp.UniqueLogin("lookup");
        var id = await app.CreateUserAsync(login);

        using var byLogin = await app.HelixAsync(HttpMethod.Get, $"/users?login={login}&id=100000001");
        using var none = await app.HelixAsync(HttpMethod.Get, "/users");
        using var body = await StandInApp.ReadJsonAsync(byLogin);

        Assert.Equal(new[] { id, "100000001" }.Order(), body.RootElement.GetProperty("data").EnumerateArray().Select(u => u.GetProperty("id").GetString()).Order());
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : throw new Xunit.Sdk.XunitException($"no {name} header");
}
