using ChatPulse.Api.Infrastructure.Settings;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatPulse.Api.Platform;

/// <summary>
/// What the Kubernetes manifests promise on SIGTERM: readiness turns 503 at once (the "shutdown" check), the listener
/// keeps serving for a short drain so load balancers notice, then Kestrel lets in-flight requests finish and the
/// process exits, all within SHUTDOWN_TIMEOUT.
/// </summary>
/// <remarks>
/// Features holding long-lived connections (the overlay sockets) must close them on
/// <see cref="IHostApplicationLifetime.ApplicationStopping"/> (status 1001, going away): Kestrel waits for them like
/// for any in-flight request, and aborts what is left when SHUTDOWN_TIMEOUT runs out.
/// </remarks>
public static class GracefulShutdown
{
    public const string CheckName = "shutdown";

    private static readonly TimeSpan LongestDrain = TimeSpan.FromSeconds(5);

    /// <summary>How long the listener keeps serving after readiness turns 503: 5 s, at most a quarter of the timeout.</summary>
    public static TimeSpan DrainDelay(TimeSpan shutdownTimeout) =>
        shutdownTimeout / 4 < LongestDrain ? shutdownTimeout / 4 : LongestDrain;

    public static IHostApplicationBuilder AddGracefulShutdown(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<HostOptions>()
            .Configure<IOptions<AppOptions>>((host, app) => host.ShutdownTimeout = app.Value.ShutdownTimeoutValue);
        builder.Services.AddHostedService<DrainOnStop>();
        builder.Services.AddHealthChecks().AddCheck<ReadinessWhileStopping>(CheckName, tags: [Extensions.ReadyTag]);
        return builder;
    }

    /// <summary>Unhealthy from the moment the host starts stopping, so the readiness probe answers 503 first.</summary>
    private sealed class ReadinessWhileStopping(IHostApplicationLifetime lifetime) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
                ? HealthCheckResult.Unhealthy("shutting down")
                : HealthCheckResult.Healthy());
    }

    /// <summary>
    /// Holds back the server's stop: the host calls every StoppingAsync (after ApplicationStopping, before any
    /// StopAsync), so the listener still serves while the drain runs.
    /// </summary>
    private sealed class DrainOnStop(IOptions<HostOptions> host, TimeProvider time, ILogger<DrainOnStop> logger) : IHostedLifecycleService
    {
        public async Task StoppingAsync(CancellationToken cancellationToken)
        {
            var drain = DrainDelay(host.Value.ShutdownTimeout);
            logger.LogInformation("Stopping: readiness reports 503; serving {Drain} longer before the listener closes", drain);
            try
            {
                await Task.Delay(drain, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // The shutdown timeout ran out first; the host stops the server now.
            }
        }

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
