using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatPulse.Api.Infrastructure.Database;

/// <summary>Where the schema migrations stand; a readiness check, so nothing routes traffic here before they finish.</summary>
public sealed class MigrationState : IHealthCheck
{
    private volatile string _status = "pending";
    private volatile bool _done;
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsDone => _done;

    /// <summary>Completes when the schema is current.</summary>
    public Task Completed => _completed.Task;

    internal void Report(string status) => _status = status;

    internal void MarkDone(string status)
    {
        _status = status;
        _done = true;
        _completed.TrySetResult();
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_done ? HealthCheckResult.Healthy(_status) : HealthCheckResult.Unhealthy($"migrations {_status}"));
}
