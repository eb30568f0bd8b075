using ChatPulse.Api.Infrastructure;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ChatPulse.Tests.Foundation;

/// <summary>The readiness grace period for a lost dependency, on a controlled clock.</summary>
public sealed class GracefulDependencyCheckTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new();
    private readonly ScriptedProbe _probe = new();
    private readonly GracefulDependencyCheck _check;

    public GracefulDependencyCheckTests() =>
        _check = new GracefulDependencyCheck("postgres", _probe, Grace, TimeSpan.FromSeconds(4), _time, NullLogger<GracefulDependencyCheck>.Instance);

    [Fact]
    public async Task Before_the_first_success_a_failure_is_unhealthy_at_once()
    {
        _probe.Fail();

        var result = await CheckAsync();

        Assert.Equal((HealthStatus.Unhealthy, "unreachable"), (result.Status, result.Description));
    }

    [Fact]
    public async Task After_a_success_a_failure_is_degraded_within_the_grace_period_and_unhealthy_once_it_has_passed()
    {
        await CheckAsync();
        _probe.Fail();

        var first = await CheckAsync();
        _time.Advance(Grace - TimeSpan.FromSeconds(1));
        var late = await CheckAsync();
        _time.Advance(TimeSpan.FromSeconds(1));
        var over = await CheckAsync();

        Assert.Equal(HealthStatus.Degraded, first.Status);
        Assert.Equal((HealthStatus.Degraded, "unreachable for 29 s (grace period 30 s)"), (late.Status, late.Description));
        Assert.Equal((HealthStatus.Unhealthy, "unreachable for 30 s"), (over.Status, over.Description));
    }

    [Fact]
    public async Task Recovery_ends_the_failure_so_the_next_one_gets_a_whole_grace_period()
    {
        await CheckAsync();
        _probe.Fail();
        await CheckAsync();
        _time.Advance(Grace);
        Assert.Equal(HealthStatus.Unhealthy, (await CheckAsync()).Status);

        _probe.Succeed();
        var recovered = await CheckAsync();
        _probe.Fail();
        _time.Advance(TimeSpan.FromSeconds(10));
        var again = await CheckAsync();
        _time.Advance(Grace - TimeSpan.FromSeconds(1));
        var stillInGrace = await CheckAsync();

        Assert.Equal(HealthStatus.Healthy, recovered.Status);
        Assert.Equal(HealthStatus.Degraded, again.Status);
        Assert.Equal(HealthStatus.Degraded, stillInGrace.Status);
    }

    [Fact]
    public async Task A_probe_that_hangs_past_its_budget_counts_as_a_failure_under_the_same_grace()
    {
        await CheckAsync();
        _probe.Hang();

        var pending = CheckAsync();
        _time.Advance(TimeSpan.FromSeconds(4));
        var result = await pending.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(HealthStatus.Degraded, result.Status);
    }

    [Fact]
    public async Task The_report_never_carries_the_probes_exception()
    {
        await CheckAsync();
        _probe.Fail();

        var degraded = await CheckAsync();
        _time.Advance(Grace);
        var unhealthy = await CheckAsync();

        Assert.Null(degraded.Exception);
        Assert.Null(unhealthy.Exception);
        Assert.DoesNotContain("127.0.0.1", degraded.Description + unhealthy.Description);
    }

    private Task<HealthCheckResult> CheckAsync() => _check.CheckHealthAsync(new HealthCheckContext
    {
        Registration = new HealthCheckRegistration("postgres", _check, null, null),
    });

    /// <summary>The dependency's own probe, answering as the test says.</summary>
    private sealed class ScriptedProbe : IHealthCheck
    {
        private Func<CancellationToken, Task<HealthCheckResult>> _answer = _ => Task.FromResult(HealthCheckResult.Healthy());

        public void Succeed() => _answer = _ => Task.FromResult(HealthCheckResult.Healthy());

        public void Fail() => _answer = _ => Task.FromResult(HealthCheckResult.Unhealthy("unreachable",
            new System.Net.Sockets.SocketException(111, "Connection refused 127.0.0.1:5432")));

        public void Hang() => _answer = async token =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return HealthCheckResult.Healthy();
        };

        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            _answer(cancellationToken);
    }
}
