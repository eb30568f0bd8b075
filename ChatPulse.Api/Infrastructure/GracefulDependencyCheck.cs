using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatPulse.Api.Infrastructure;

/// <summary>
/// A dependency's readiness check (Postgres, Redis) with a grace period for losing it. Once the dependency has
/// answered, a failure is reported <see cref="HealthStatus.Degraded"/> (readiness stays 200: a replica that can still
/// take deliveries stays behind the load balancer through a blink) until it has lasted the grace period, then
/// <see cref="HealthStatus.Unhealthy"/> (503). Before the first success there is no grace: a replica that never had
/// its dependency is not ready. The failure's detail (exception, host, port) is logged once per state change; the
/// public report says only "unreachable".
/// </summary>
internal sealed partial class GracefulDependencyCheck(
    string name, IHealthCheck probe, TimeSpan gracePeriod, TimeSpan timeout, TimeProvider time, ILogger<GracefulDependencyCheck> logger)
    : IHealthCheck
{
    private readonly Lock _lock = new();
    private bool _everHealthy;
    private DateTimeOffset? _failingSince;
    private HealthStatus? _reported;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var result = await ProbeAsync(context, cancellationToken);
        lock (_lock)
        {
            var now = time.GetUtcNow();
            HealthCheckResult report;
            if (result.Status == HealthStatus.Healthy)
            {
                _everHealthy = true;
                _failingSince = null;
                report = result;
            }
            else if (!_everHealthy)
            {
                report = HealthCheckResult.Unhealthy("unreachable");
            }
            else
            {
                _failingSince ??= now;
                var failing = now - _failingSince.Value;
                report = failing < gracePeriod
                    ? HealthCheckResult.Degraded($"unreachable for {failing.TotalSeconds:0} s (grace period {gracePeriod.TotalSeconds:0} s)")
                    : HealthCheckResult.Unhealthy($"unreachable for {failing.TotalSeconds:0} s");
            }

            if (report.Status != _reported)
            {
                LogChange(report.Status, result.Exception);
                _reported = report.Status;
            }

            return report;
        }
    }

    /// <summary>The probe within its own time budget, so a hanging dependency counts as a failure, grace included.</summary>
    private async Task<HealthCheckResult> ProbeAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        using var budget = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            return await probe.CheckHealthAsync(context, linked.Token);
        }
        catch (OperationCanceledException e) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("no answer", new TimeoutException($"no answer within {timeout.TotalSeconds:0} s", e));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("failed", e); // logged below on the state change, like any other failure
        }
    }

    private void LogChange(HealthStatus status, Exception? failure)
    {
        switch (status)
        {
            case HealthStatus.Healthy when _reported is not null:
                LogAnswersAgain(logger, name);
                break;
            case HealthStatus.Degraded:
                LogDegraded(logger, failure, name, gracePeriod);
                break;
            case HealthStatus.Unhealthy when _everHealthy:
                LogUnhealthy(logger, failure, name, gracePeriod);
                break;
            case HealthStatus.Unhealthy:
                LogNotYet(logger, failure, name);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Readiness: {Check} answers again")]
    private static partial void LogAnswersAgain(ILogger logger, string check);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Readiness: {Check} is failing; reported degraded (still ready) for the grace period of {Grace}")]
    private static partial void LogDegraded(ILogger logger, Exception? failure, string check, TimeSpan grace);

    [LoggerMessage(Level = LogLevel.Error, Message = "Readiness: {Check} has failed for longer than the grace period of {Grace}; not ready")]
    private static partial void LogUnhealthy(ILogger logger, Exception? failure, string check, TimeSpan grace);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Readiness: {Check} has not answered yet; not ready")]
    private static partial void LogNotYet(ILogger logger, Exception? failure, string check);
}
