using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace ChatPulse.Api.Infrastructure.Database;

/// <summary>Readiness: Postgres answers a trivial query. The failure goes to the log, never into the report (hosts, ports).</summary>
internal sealed class PostgresHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("unreachable", e);
        }
    }
}
