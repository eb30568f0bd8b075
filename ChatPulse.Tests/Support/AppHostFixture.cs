using Npgsql;
using StackExchange.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatPulse.Tests.Support;

/// <summary>
/// The whole AppHost, started once per test collection through <see cref="DistributedApplicationTestingBuilder"/>:
/// local Postgres and Redis processes (or containers where a runtime answers) and the API, healthy.
/// </summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"chatpulse-test-{Guid.NewGuid():N}");

    public DistributedApplication App { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    public Uri ApiBaseAddress => Api.BaseAddress!;

    /// <summary>The Twitch stand-in the AppHost runs (resource <c>twitch</c>); the API talks to it as Twitch.</summary>
    public HttpClient TwitchStandIn { get; private set; } = null!;

    public Uri TwitchStandInBaseAddress => TwitchStandIn.BaseAddress!;

    public string DatabaseConnectionString { get; private set; } = "";

    public string RedisConnectionString { get; private set; } = "";

    /// <summary>Settings the AppHost passed to the API, by the guide's variable names.</summary>
    public IReadOnlyDictionary<string, string> ApiEnvironment { get; private set; } = new Dictionary<string, string>();

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(Waits.AppStart);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ChatPulse_AppHost>(
            [$"ChatPulse:DataDirectory={_dataDirectory}"], cts.Token);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));

        App = await builder.BuildAsync(cts.Token);
        try
        {
            await App.StartAsync(cts.Token);
            await App.ResourceNotifications.WaitForResourceHealthyAsync("twitch", cts.Token);
            await App.ResourceNotifications.WaitForResourceHealthyAsync("chatpulse", cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            // Every test of the collection fails with this; say which resource held it up, and what it last logged.
            var resources = builder.Resources.Where(r => r is not ParameterResource).Select(r => r.Name);
            throw new TimeoutException($"The AppHost was not healthy within {Waits.AppStart.TotalSeconds:0} s.\n{await DescribeAsync(resources)}");
        }

        Api = App.CreateHttpClient("chatpulse", "http");
        TwitchStandIn = App.CreateHttpClient("twitch", "http");
        DatabaseConnectionString = await App.GetConnectionStringAsync("chatpulsedb", cts.Token) ?? throw new InvalidOperationException("no chatpulsedb connection string");
        RedisConnectionString = await App.GetConnectionStringAsync("redis", cts.Token) ?? throw new InvalidOperationException("no redis connection string");

        // Parameters are named after the guide's variables in kebab case (twitch-client-id → TWITCH_CLIENT_ID).
        var environment = new Dictionary<string, string>
        {
            ["TWITCH_REDIRECT_URI"] = new Uri(ApiBaseAddress, "/auth/callback").ToString(),
            ["WEBHOOK_CALLBACK_URL"] = new Uri(ApiBaseAddress, "/webhooks/eventsub").ToString(),
            ["TWITCH_AUTH_BASE_URL"] = TwitchStandInBaseAddress.ToString().TrimEnd('/'),
            ["TWITCH_HELIX_BASE_URL"] = new Uri(TwitchStandInBaseAddress, "/helix").ToString(),
        };
        foreach (var parameter in builder.Resources.OfType<ParameterResource>().Where(p => !p.Name.EndsWith("-password", StringComparison.Ordinal)))
        {
            environment[parameter.Name.Replace('-', '_').ToUpperInvariant()] = await parameter.GetValueAsync(cts.Token) ?? "";
        }

        ApiEnvironment = environment;
        Database = Own(NpgsqlDataSource.Create(DatabaseConnectionString));
        Redis = Own(await ConnectionMultiplexer.ConnectAsync(RedisConnectionString));
    }

    // Each resource's state, health and last log lines, read for at most a few seconds.
    private async Task<string> DescribeAsync(IEnumerable<string> resources)
    {
        var text = new System.Text.StringBuilder();
        var logs = App.Services.GetRequiredService<ResourceLoggerService>();
        foreach (var name in resources)
        {
            var state = App.ResourceNotifications.TryGetCurrentState(name, out var current)
                ? $"{current.Snapshot.State?.Text ?? "no state"}, health {current.Snapshot.HealthStatus?.ToString() ?? "unknown"}"
                : "not started";
            text.AppendLine($"{name}: {state}");
            var lines = new List<string>();
            using var enough = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await foreach (var batch in logs.WatchAsync(name).WithCancellation(enough.Token))
                {
                    lines.AddRange(batch.Select(line => line.Content));
                }
            }
            catch (OperationCanceledException)
            {
                // The backlog came first; nothing newer is needed.
            }

            foreach (var line in lines.TakeLast(15))
            {
                text.AppendLine($"  {line}");
            }
        }

        return text.ToString();
    }

    /// <summary>The AppHost's Postgres, for tests that read or seed what the API stores.</summary>
    public NpgsqlDataSource Database { get; private set; } = null!;

    /// <summary>The AppHost's Redis, for tests that read or seed what the API keeps there.</summary>
    public ConnectionMultiplexer Redis { get; private set; } = null!;

    /// <summary>Environment for an extra API instance that shares this AppHost's Postgres and Redis.</summary>
    public Dictionary<string, string> SharedApiEnvironment() => new(ApiEnvironment)
    {
        ["ConnectionStrings__chatpulsedb"] = DatabaseConnectionString,
        ["ConnectionStrings__redis"] = RedisConnectionString,
    };

    /// <summary>Disposes <paramref name="resource"/> with the fixture, before the AppHost stops (e.g. a replica shared by test classes).</summary>
    public T Own<T>(T resource) where T : IAsyncDisposable
    {
        lock (_owned)
        {
            _owned.Add(resource);
        }

        return resource;
    }

    public async Task DisposeAsync()
    {
        foreach (var resource in _owned)
        {
            await resource.DisposeAsync();
        }

        Api?.Dispose();
        TwitchStandIn?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Postgres may still be flushing; the temp folder is cleaned by the OS eventually.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AppHostCollection : ICollectionFixture<AppHostFixture>
{
    public const string Name = "apphost";
}
