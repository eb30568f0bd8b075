using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatPulse.LoadTest;

/// <summary>
/// Real Postgres and Redis from the AppHost (its own API left out), and one API process started from the build
/// of ChatPulse.Api in this tool's configuration, with the baseline endpoint switched on. Everything on 127.0.0.1.
/// </summary>
public sealed class BenchmarkEnvironment : IAsyncDisposable
{
    private readonly DistributedApplication _app;
    private readonly Process _api;

    private readonly string _dataDirectory;

    private BenchmarkEnvironment(DistributedApplication app, Process api, Uri apiAddress, string secret, string database, string redis, string dataDirectory)
    {
        _dataDirectory = dataDirectory;
        _app = app;
        _api = api;
        ApiAddress = apiAddress;
        WebhookSecret = secret;
        DatabaseConnectionString = database;
        RedisConnectionString = redis;
    }

    public Uri ApiAddress { get; }
    public string WebhookSecret { get; }
    public string DatabaseConnectionString { get; }
    public string RedisConnectionString { get; }

    public Process Api => _api;

    /// <summary>
    /// Starts everything; <paramref name="apiSettings"/> are added to (or override) the API's environment, and
    /// <paramref name="ownRedis"/> (a connection string) replaces the AppHost's Redis for the API and the tool.
    /// </summary>
    public static async Task<BenchmarkEnvironment> StartAsync(string configuration, IReadOnlyDictionary<string, string> apiSettings,
        CancellationToken cancellationToken, string? ownRedis = null)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"chatpulse-loadtest-{Environment.ProcessId}");
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ChatPulse_AppHost>(
            [$"ChatPulse:DataDirectory={dataDirectory}"], cancellationToken);
        // Postgres writes its normal start-up lines to stderr, which Aspire logs as errors; only real failures matter here.
        // Neither do the health checks that fail until a server is up.
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning)
            .AddFilter("ChatPulse.AppHost.Resources", LogLevel.Critical)
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical));
        // Only Postgres and Redis: the API runs as this tool's own process, and the Twitch stand-in is not needed
        // (left in, it would wait forever for the removed API's endpoint, which its redirect URI names).
        foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
        {
            builder.Resources.Remove(project);
        }

        var app = await builder.BuildAsync(cancellationToken);
        await app.StartAsync(cancellationToken);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("redis", cancellationToken);
        // The server, not "chatpulsedb": the API creates its database itself at start (DatabaseCreator).
        await app.ResourceNotifications.WaitForResourceHealthyAsync("postgres", cancellationToken);
        var database = await app.GetConnectionStringAsync("chatpulsedb", cancellationToken) ?? throw new InvalidOperationException("no database");
        // The local redis-server listens on 127.0.0.1 only; "localhost" may resolve to ::1 first.
        var redis = ownRedis ?? (await app.GetConnectionStringAsync("redis", cancellationToken) ?? throw new InvalidOperationException("no redis")).Replace("localhost:", "127.0.0.1:", StringComparison.Ordinal);

        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        var port = ApiProcess.FreePort();
        var api = ApiProcess.Start(configuration, port, secret, database, redis, apiSettings);
        var environment = new BenchmarkEnvironment(app, api, new Uri($"http://127.0.0.1:{port}"), secret, database, redis, dataDirectory);
        try
        {
            await environment.WaitUntilReadyAsync(cancellationToken);
            return environment;
        }
        catch
        {
            await environment.DisposeAsync(); // leave no API, Postgres or Redis behind
            throw;
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = ApiAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            if (_api.HasExited)
            {
                throw new InvalidOperationException($"The API exited with {_api.ExitCode}:\n{string.Join('\n', ApiProcess.Output)}");
            }

            try
            {
                using var response = await client.GetAsync("/health/ready", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // listening, but slower than the client's timeout (a busy machine): ask again until the deadline
            }

            await Task.Delay(250, cancellationToken);
        }

        string readiness;
        try
        {
            readiness = await client.GetStringAsync("/health/ready", cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            readiness = e.Message;
        }

        throw new TimeoutException($"The API did not become ready within 2 minutes ({readiness}):\n{string.Join('\n', ApiProcess.Output)}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_api.HasExited)
        {
            _api.Kill(entireProcessTree: true);
            await _api.WaitForExitAsync();
        }

        _api.Dispose();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Postgres may still be flushing; the temp folder goes with the OS's clean-up.
        }
    }
}
