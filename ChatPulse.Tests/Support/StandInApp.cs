using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace ChatPulse.Tests.Support;

/// <summary>
/// One app registered with the Twitch stand-in through its <c>/standin/clients</c> switch, so a test's conduits,
/// subscriptions, tokens and injected faults are its own. Talks plain HTTP, redirects not followed.
/// </summary>
public sealed class StandInApp : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private string? _appToken;

    private StandInApp(Uri standIn, string clientId, string? clientSecret = null)
    {
        ClientId = clientId;
        ClientSecret = clientSecret ?? $"secret-{Guid.NewGuid():N}";
        Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = standIn, Timeout = Waits.Short };
    }

    public string ClientId { get; }

    public string ClientSecret { get; }

    public string RedirectUri => $"http://127.0.0.1:9/apps/{ClientId}/auth/callback";

    public HttpClient Http { get; }

    public static async Task<StandInApp> RegisterAsync(Uri standIn, int? pageSize = null)
    {
        var app = new StandInApp(standIn, $"test-{Guid.NewGuid():N}");
        using var response = await app.Http.PostAsJsonAsync("/standin/clients",
            new { client_id = app.ClientId, client_secret = app.ClientSecret, redirect_uri = app.RedirectUri, page_size = pageSize });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return app;
    }

    /// <summary>An app registered earlier (e.g. before the stand-in restarted), not registered again.</summary>
    public static StandInApp Existing(Uri standIn, string clientId, string clientSecret) => new(standIn, clientId, clientSecret);

    public static string UniqueLogin(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..Math.Min(25, prefix.Length + 12)];

    /// <summary>A new test user; with <paramref name="grantChannelBot"/> it has granted this app <c>channel:bot</c>.</summary>
    public async Task<string> CreateUserAsync(string login, bool grantChannelBot = true)
    {
        using var response = await Http.PostAsJsonAsync("/standin/users",
            new { login, grant_client_id = grantChannelBot ? ClientId : null, scopes = grantChannelBot ? new[] { "channel:bot" } : null });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var user = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return user.RootElement.GetProperty("id").GetString()!;
    }

    public async Task<string> AppTokenAsync()
    {
        if (_appToken is null)
        {
            using var response = await Http.PostAsync("/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["client_id"] = ClientId, ["client_secret"] = ClientSecret, ["grant_type"] = "client_credentials",
            }));
            response.EnsureSuccessStatusCode();
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            _appToken = body.RootElement.GetProperty("access_token").GetString();
        }

        return _appToken!;
    }

    /// <summary>A Helix call with this app's Client-Id and (unless given) its app token.</summary>
    public async Task<HttpResponseMessage> HelixAsync(HttpMethod method, string pathAndQuery, object? json = null, string? token = null)
    {
        using var request = new HttpRequestMessage(method, "/helix" + pathAndQuery);
        request.Headers.Add("Client-Id", ClientId);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? await AppTokenAsync());
        if (json is not null)
        {
            request.Content = JsonContent.Create(json, options: Json);
        }

        return await Http.SendAsync(request);
    }

    public static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync());

    public async Task<string> CreateConduitAsync()
    {
        using var response = await HelixAsync(HttpMethod.Post, "/eventsub/conduits", new { shard_count = 1 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = await ReadJsonAsync(response);
        return body.RootElement.GetProperty("data")[0].GetProperty("id").GetString()!;
    }

    /// <summary>PATCHes shard 0 of <paramref name="conduitId"/> to the callback; returns the 202 body.</summary>
    public async Task<JsonDocument> PointShardAsync(string conduitId, Uri callback, string secret)
    {
        using var response = await HelixAsync(HttpMethod.Patch, "/eventsub/conduits/shards", new
        {
            conduit_id = conduitId,
            shards = new[] { new { id = "0", transport = new { method = "webhook", callback = callback.ToString(), secret } } },
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await ReadJsonAsync(response);
    }

    public Task<HttpResponseMessage> SubscribeChatAsync(string conduitId, string broadcasterId, string botId) =>
        HelixAsync(HttpMethod.Post, "/eventsub/subscriptions", new
        {
            type = "channel.chat.message",
            version = "1",
            condition = new { broadcaster_user_id = broadcasterId, user_id = botId },
            transport = new { method = "conduit", conduit_id = conduitId },
        });

    public async Task InjectFaultAsync(int status, int count, int resetAfterSeconds = 2)
    {
        using var response = await Http.PostAsJsonAsync("/standin/faults",
            new { client_id = ClientId, status, count, reset_after_seconds = resetAfterSeconds });
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    public void Dispose() => Http.Dispose();
}
