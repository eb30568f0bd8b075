using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace ChatPulse.Api.Infrastructure.Redis;

/// <summary>Readiness: Redis answers PING. The failure goes to the log, never into the report (hosts, ports).</summary>
internal sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!redis.IsConnected)
        {
            // Known down: answer at once rather than wait out the probe's budget behind the client's backlog.
            return HealthCheckResult.Unhealthy("unreachable", new RedisConnectionException(ConnectionFailureType.UnableToConnect, "not connected"));
        }

        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy($"PING {latency.TotalMilliseconds:0.0} ms");
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("unreachable", e);
        }
    }
}
