using System.Net.Http.Json;
using Npgsql;

namespace ChatPulse.Tests.Support;

/// <summary>
/// An API replica of a test class's own (shared Postgres and Redis, JSON logs, its own rate-limit state), registered
/// with the Twitch stand-in as an app whose redirect URI is this replica's <c>/auth/callback</c>.
/// </summary>
public sealed class LoginReplica : IAsyncDisposable
{
    private LoginReplica(ApiInstance api, string clientId, Uri standIn, IReadOnlyDictionary<string, string> environment)
    {
        Api = api;
        Environment = environment;
        ClientId = clientId;
        StandIn = standIn;
        Database = NpgsqlDataSource.Create(environment["ConnectionStrings__chatpulsedb"]);
    }

    public ApiInstance Api { get; }

    public Uri BaseAddress => Api.BaseAddress;

    public string ClientId { get; }

    /// <summary>The settings the replica runs with (its Twitch app, its Postgres and Redis).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    public Uri StandIn { get; }

    /// <summary>The replica's database (the shared one unless a test gave it its own), for asserting what it stored.</summary>
    public NpgsqlDataSource Database { get; }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<AppHostFixture, Task<LoginReplica>> Shared = new();

    /// <summary>
    /// One replica for every test class of the collection that needs no special settings (starting API processes is
    /// the slow part); each test keeps its own rate-limit buckets by connecting from its own loopback address.
    /// </summary>
    public static Task<LoginReplica> SharedAsync(AppHostFixture fixture) =>
        Shared.GetValue(fixture, f => StartOwnedAsync(f));

    private static async Task<LoginReplica> StartOwnedAsync(AppHostFixture fixture) => fixture.Own(await StartAsync(fixture));

    /// <param name="configure">Changes to the replica's environment (e.g. another SESSION_SECRET).</param>
    /// <param name="restricted">Run the replica as an unprivileged user (see <see cref="ApiInstance.Start"/>).</param>
    public static async Task<LoginReplica> StartAsync(AppHostFixture fixture, Action<Dictionary<string, string>>? configure = null,
        RestrictedProcess? restricted = null) =>
        (await StartTogetherAsync(fixture, 1, configure, restricted)).Single();

    /// <summary>
    /// <paramref name="count"/> replicas started at the same moment, as behind one load balancer: one Twitch app, whose
    /// redirect URI is the first replica's <c>/auth/callback</c>, so a login may start on one and finish on another.
    /// </summary>
    public static async Task<LoginReplica[]> StartTogetherAsync(AppHostFixture fixture, int count,
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
        var apis = ports.Select(port => ApiInstance.Start(environment, port, restricted)).ToArray();
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

        return [.. apis.Select(api => new LoginReplica(api, clientId, fixture.TwitchStandInBaseAddress, environment))];
    }

    /// <summary>One more replica with this one's settings (its Twitch app, Postgres and Redis), e.g. after this one stopped.</summary>
    public async Task<LoginReplica> StartAnotherAsync()
    {
        var api = ApiInstance.Start(Environment);
        try
        {
            await api.WaitUntilReadyAsync();
        }
        catch
        {
            await api.DisposeAsync();
            throw;
        }

        return new LoginReplica(api, ClientId, StandIn, Environment);
    }

    public Visitor NewVisitor() => new(BaseAddress);

    /// <summary>The JSON log entries the replica wrote so far.</summary>
    public IReadOnlyList<JsonLogEntry> Logs => JsonLogEntry.Parse(Api.Output);

    /// <summary>Waits until an entry matching <paramref name="match"/> was logged; returns it.</summary>
    public async Task<JsonLogEntry> WaitForLogAsync(Func<JsonLogEntry, bool> match, string what)
    {
        JsonLogEntry? found = null;
        await Waits.Until(() => Task.FromResult((found = Logs.FirstOrDefault(match)) is not null), Waits.Short, what);
        return found!;
    }

    private int _disposed;

    /// <summary>Stops the replica; a second call does nothing (a test may stop it early and still hold it in a using).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await Api.DisposeAsync();
        await Database.DisposeAsync();
    }
}
