using ChatPulse.Api.Infrastructure.Database;
using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Api.Infrastructure.Settings;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace ChatPulse.Api.Infrastructure;

public static class DataExtensions
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(4);

    /// <summary>Postgres (Aspire.Npgsql) and Redis (Aspire.StackExchange.Redis), migrations, their readiness checks, the clock and this replica's id.</summary>
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
                // client CPU per call (load tool).
                options.SocketManager = SocketManager.ThreadPool;
            });

        // The one clock; a host that brings its own (a test's fake) registers it first.
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ReplicaIdentity>();

        builder.Services.AddSingleton<MigrationState>();
        builder.Services.AddHostedService<MigrationRunner>();

        // The dependency checks log each state change with its cause; the framework's line per probe and check would
        // repeat it every few seconds for as long as an outage lasts.
        builder.Logging.AddFilter(typeof(HealthCheckService).Namespace + ".DefaultHealthCheckService", LogLevel.None);
        builder.Services.AddHealthChecks()
            .AddDependencyCheck<PostgresHealthCheck>("postgres")
            .AddDependencyCheck<RedisHealthCheck>("redis")
            .AddCheck<MigrationState>("migrations", tags: [Extensions.ReadyTag]);

        return builder;
    }

    /// <summary>
    /// A readiness check for a dependency, with DEPENDENCY_GRACE_PERIOD for losing it (<see cref="GracefulDependencyCheck"/>).
    /// One instance per check, since it remembers since when the dependency has been failing.
    /// </summary>
    private static IHealthChecksBuilder AddDependencyCheck<TProbe>(this IHealthChecksBuilder checks, string name) where TProbe : IHealthCheck
    {
        checks.Services.AddKeyedSingleton(name, (services, _) => new GracefulDependencyCheck(
            name,
            ActivatorUtilities.CreateInstance<TProbe>(services),
            services.GetRequiredService<IOptions<ConnectionOptions>>().Value.DependencyGracePeriodValue,
            CheckTimeout,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<GracefulDependencyCheck>>()));
        return checks.Add(new HealthCheckRegistration(name, services => services.GetRequiredKeyedService<GracefulDependencyCheck>(name),
            failureStatus: null, tags: [Extensions.ReadyTag]));
    }
}
