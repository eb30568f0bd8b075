using System.Net.Http.Json;
using System.Runtime.CompilerServices;

namespace ChatPulse.Tests.Support;

/// <summary>Starting replicas ready to answer: on given settings, or on the collection's fixture with a Twitch app of their own.</summary>
public sealed partial class ApiInstance
{
    private static readonly ConditionalWeakTable<AppHostFixture, Task<ApiInstance>> Shared = new();

    /// <summary>The Twitch app the replica signs streamers in with (see <see cref="StartTogetherAsync"/>).</summary>
    public string ClientId => Environment["TWITCH_CLIENT_ID"];

    /// <summary>The Twitch stand-in the replica speaks to as Twitch.</summary>
    public Uri StandIn => new(Environment["TWITCH_AUTH_BASE_URL"]);

    /// <summary>Starts the API with exactly <paramref name="environment"/>, as <see cref="Start"/> does, and waits until it is ready.</summary>
    public static async Task<ApiInstance> StartAsync(IReadOnlyDictionary<string, string> environment, int? port = null, RestrictedProcess? restricted = null)
    {
        var api = Start(environment, port, restricted);
        try
        {
            await api.WaitUntilReadyAsync();
        }
        catch
        {
            await api.DisposeAsync();
            throw;
        }

        return api;
    }

    /// <summary>
    /// One replica for every test class of the collection that needs no special settings (starting API processes is
    /// the slow part); each test keeps its own rate-limit buckets by connecting from its own loopback address.
    /// </summary>
    public static Task<ApiInstance> SharedAsync(AppHostFixture fixture) =>
        Shared.GetValue(fixture, async f => f.Own(await StartAsync(f)));

    /// <param name="configure">Changes to the replica's environment (e.g. another SESSION_SECRET).</param>
    /// <param name="restricted">Run the replica as an unprivileged user (see <see cref="Start"/>).</param>
    /// <inheritdoc cref="StartTogetherAsync"/>
    public static async Task<ApiInstance> StartAsync(AppHostFixture fixture, Action<Dictionary<string, string>>? configure = null,
        RestrictedProcess? restricted = null) =>
        (await StartTogetherAsync(fixture, 1, configure, restricted)).Single();

    /// <summary>
    /// <paramref name="count"/> replicas on the fixture's Postgres and Redis (JSON logs, their own rate-limit state),
    /// started at the same moment, as behind one load balancer, and ready: one Twitch app registered with the stand-in
    /// for them, whose redirect URI is the first replica's <c>/auth/callback</c>, so a login may start on one and finish on another.
    /// </summary>
    public static async Task<ApiInstance[]> StartTogetherAsync(AppHostFixture fixture, int count,
        Action<Dictionary<string, string>>? configure = null, RestrictedProcess? restricted = null)
    {
        var ports = Enumerable.Range(0, count).Select(_ => FreePort.Next()).ToArray();
        var clientId = $"accounts-{Guid.NewGuid():N}";
        var secret = $"secret-{Guid.NewGuid():N}";
        var redirect = $"http://127.0.0.1:{ports[0]}/auth/callback";
        using (var response = await fixture.TwitchStandIn.PostAsJsonAsync("/standin/clients",
            new { client_id = clientId, client_secret = secret, redirect_uri = redirect }, StandInApp.Json))
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        var environment = fixture.SharedApiEnvironment();
        environment["TWITCH_CLIENT_ID"] = clientId;
        environment["TWITCH_CLIENT_SECRET"] = secret;
        environment["TWITCH_REDIRECT_URI"] = redirect;
        environment["LOG_FORMAT"] = "json";
        configure?.Invoke(environment);
        var apis = ports.Select(port => Start(environment, port, restricted)).ToArray();
        try
        {
            await Task.WhenAll(apis.Select(api => api.WaitUntilReadyAsync()));
        }
        catch
        {
            foreach (var api in apis)
            {
                await api.DisposeAsync();
            }

            throw;
        }

        return apis;
    }

    /// <summary>One more replica with this one's settings (its Twitch app, Postgres and Redis), e.g. after this one stopped.</summary>
    public Task<ApiInstance> StartAnotherAsync() => StartAsync(Environment);

    /// <summary>A browser of its own (cookie jar, client address) on this replica.</summary>
    public Visitor NewVisitor() => new(BaseAddress);
}
