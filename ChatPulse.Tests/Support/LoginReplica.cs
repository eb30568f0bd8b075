using System.Net.Http.Json;
using Npgsql;

namespace ChatPulse.Tests.Support;

/// <summary>
/// An API replica of a test class's own (shared Postgres and Redis, JSON logs, its own rate-limit state), registered
/// with the Twitch stand-in as an app whose redirect URI is this replica's <c>/auth/callback</c>.
/// </summary>
public sealed class LoginReplica : IAsyncDisposable
{
    private LoginReplica(ApiInstance api, string clientId, Uri standIn, NpgsqlDataSource database)
    {
        Api = api;
        ClientId = clientId;
        StandIn = standIn;
        Database = database;
    }

    public ApiInstance Api { get; }

    public Uri BaseAddress => Api.BaseAddress;

    public string ClientId { get; }

    public Uri StandIn { get; }

    /// <summary>The shared database, for asserting what the replica stored.</summary>
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
    public static async Task<LoginReplica> StartAsync(AppHostFixture fixture, Action<Dictionary<string, string>>? configure = null, RestrictedProcess? restricted = null)
    {
        var port = ApiInstance.FreePort();
        var clientId = $"accounts-{Guid.NewGuid():N}";
        var secret = $"secret-{Guid.NewGuid():N}";
        var redirect = $"http://127.0.0.1:{port}/auth/callback";
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
        var api = ApiInstance.Start(environment, port, restricted);
        await api.WaitUntilReadyAsync();
        return new LoginReplica(api, clientId, fixture.TwitchStandInBaseAddress, NpgsqlDataSource.Create(fixture.DatabaseConnectionString));
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

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        await Database.DisposeAsync();
    }
}
