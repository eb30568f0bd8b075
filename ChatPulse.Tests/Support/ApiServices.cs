using ChatPulse.Api.Accounts;
using ChatPulse.Api.Infrastructure.Database;
using ChatPulse.Api.Infrastructure.Settings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ChatPulse.Tests.Support;

/// <summary>
/// The API's real registrations (its features' <c>Add…</c> calls) built in the test process over settings the test
/// gives: for unit-level tests of the API's services and settings, no HTTP, no process; <see cref="InProcessVotes"/>
/// and <see cref="TwitchPlumbingHost"/> are built on it. To get the API itself, answering over HTTP and WebSocket as a
/// replica, use <see cref="ApiInstance"/>.
/// </summary>
public static class ApiServices
{
    /// <summary>A complete, valid set of settings by the guide's names.</summary>
    public static Dictionary<string, string?> ValidGuideSettings() => new()
    {
        ["APP_ENV"] = "development",
        ["DATABASE_URL"] = "postgres://chatpulse:pw@localhost:5432/chatpulse?sslmode=disable",
        ["REDIS_URL"] = "redis://localhost:6379",
        ["TWITCH_CLIENT_ID"] = "client-id",
        ["TWITCH_CLIENT_SECRET"] = "client-secret",
        ["TWITCH_REDIRECT_URI"] = "http://localhost:8080/auth/callback",
        ["WEBHOOK_CALLBACK_URL"] = "http://localhost:8080/webhooks/eventsub",
        ["WEBHOOK_SECRET"] = "dev-webhook-4f1c9a",
        ["BOT_USER_ID"] = "100000001",
        ["SESSION_SECRET"] = "74aa17d53d41e44d1e792f3ee51e110aeaf627fd352183ca7517b68464636f06",
        ["TOKEN_ENCRYPTION_KEY"] = "5f027b6e2c3002edf4d4af7b555d4adf9f3df1dd10d00a6b98da1afcd5e59213",
    };

    /// <summary><see cref="ValidGuideSettings"/> as production accepts them: APP_ENV=production, TLS and https URLs.</summary>
    public static Dictionary<string, string?> ProductionSettings()
    {
        var settings = ValidGuideSettings();
        settings["APP_ENV"] = "production";
        settings["DATABASE_URL"] = "postgres://u:db-pw-91c4@db:5432/chatpulse?sslmode=require";
        settings["WEBHOOK_SECRET"] = "202435403e00a87489d3069fcad0af0b88706c74baeb42d4160b125a17c44d59";
        settings["TWITCH_REDIRECT_URI"] = "https://chatpulse.example.com/auth/callback";
        settings["WEBHOOK_CALLBACK_URL"] = "https://chatpulse.example.com/webhooks/eventsub";
        return settings;
    }

    /// <summary>The settings the AppHost gave its API, over the collection's Postgres and Redis.</summary>
    public static Dictionary<string, string?> FixtureSettings(AppHostFixture fixture) => new(fixture.ApiEnvironment
        .Select(e => new KeyValuePair<string, string?>(e.Key, e.Value))
        .Append(new("ConnectionStrings:chatpulsedb", fixture.DatabaseConnectionString))
        .Append(new("ConnectionStrings:redis", fixture.RedisConnectionString)));

    /// <summary>
    /// The accounts registrations of a replica on the fixture, over its settings and the shared key ring in Postgres:
    /// its session ticket format reads the replica's session cookies and makes ones the replica accepts.
    /// </summary>
    public static ServiceProvider FixtureAccounts(AppHostFixture fixture)
    {
        var builder = Builder(FixtureSettings(fixture));
        builder.AddAccounts();
        var migrated = new MigrationState();
        migrated.MarkDone("migrated by the AppHost's API");
        builder.Services.AddSingleton(migrated).AddSingleton(fixture.Database).AddSingleton(TimeProvider.System);
        return builder.Services.BuildServiceProvider();
    }

    /// <summary>
    /// A host builder over exactly <paramref name="settings"/> (empty values left out), with the API's settings added
    /// and so validated: what a test adds the features under test to.
    /// </summary>
    public static HostApplicationBuilder Builder(IEnumerable<KeyValuePair<string, string?>> settings, string environment = "Production") =>
        WithSettings(Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment }), settings);

    /// <summary>
    /// <see cref="Builder"/> as a web application's (the ASP.NET Core host's own defaults read first), for the
    /// registrations that build on them, such as the forwarded-headers options.
    /// </summary>
    public static WebApplicationBuilder WebBuilder(IEnumerable<KeyValuePair<string, string?>> settings) =>
        WithSettings(WebApplication.CreateBuilder(), settings);

    /// <summary>
    /// A web application with the service defaults (and what <paramref name="configure"/> adds, with the endpoints
    /// <paramref name="map"/> maps), started in the test process on a loopback port: for what ServiceDefaults does to
    /// every request (tracing, health endpoints), apart from the rest of the API.
    /// </summary>
    public static async Task<WebApplication> StartWebAsync(Action<IServiceCollection> configure, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults();
        configure(builder.Services);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return app;
    }

    private static T WithSettings<T>(T builder, IEnumerable<KeyValuePair<string, string?>> settings) where T : IHostApplicationBuilder
    {
        builder.Configuration.AddInMemoryCollection(settings.Where(kv => kv.Value is { Length: > 0 }));
        builder.AddChatPulseSettings();
        return builder;
    }
}
