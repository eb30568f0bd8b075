using ChatPulse.Api.Infrastructure.Database;
using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Api.Infrastructure.Settings;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;
using StackExchange.Redis;

namespace ChatPulse.Api.Infrastructure;

public static class DataExtensions
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(4);

    /// <summary>Postgres (Aspire.Npgsql) and Redis (Aspire.StackExchange.Redis), migrations, and their readiness checks.</summary>
    public static IHostApplicationBuilder AddChatPulseData(this IHostApplicationBuilder builder)
    {
        // Our own checks below name "postgres", "redis" and "migrations" in the readiness report.
        builder.AddNpgsqlDataSource(GuideVariables.DatabaseConnectionName, settings => settings.DisableHealthChecks = true);
        // No span per Redis command: a chat vote is one script, thousands a second, and its span cost more CPU than
        // the vote (load tool). Requests keep their spans; votes have their own metrics.
        builder.AddRedisClient(GuideVariables.RedisConnectionName,
            settings =>
            {
                settings.DisableHealthChecks = true;
                settings.DisableTracing = true;
            },
            options =>
            {
                options.AbortOnConnectFail = false;
                // Back within a second of Redis (the default backs off up to 10 s): the vote buffer replays then.
                options.ReconnectRetryPolicy = new LinearRetry(1000);
                // Completions on the .NET thread pool rather than dedicated spinning pipe threads: about half the
                // client CPU per call on this 2-core node (load tool).
                options.SocketManager = SocketManager.ThreadPool;
            });

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<Telemetry.ChatPulseMetrics>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(Telemetry.ChatPulseMetrics.MeterName));

        builder.Services.AddSingleton<MigrationState>();
        builder.Services.AddHostedService<MigrationRunner>();

        builder.Services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgres", tags: [Extensions.ReadyTag], timeout: CheckTimeout)
            .AddCheck<RedisHealthCheck>("redis", tags: [Extensions.ReadyTag], timeout: CheckTimeout)
            .AddCheck<MigrationState>("migrations", tags: [Extensions.ReadyTag]);

        return builder;
    }
}
