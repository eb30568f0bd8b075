using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ChatPulse.Tests.Support;

/// <summary>
/// The meter factory for a test's own <c>ChatPulseMetrics</c>: every meter it makes is new (shared with neither the
/// API's nor another test's), so a listener that asks <see cref="Made"/> hears only this instance's measurements.
/// </summary>
public sealed class TestMeterFactory : IMeterFactory
{
    private readonly ConcurrentBag<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        _meters.Add(meter);
        return meter;
    }

    /// <summary>True for a meter this factory made.</summary>
    public bool Made(Meter meter) => _meters.Contains(meter);

    public void Dispose()
    {
        foreach (var meter in _meters)
        {
            meter.Dispose();
        }
    }
}
