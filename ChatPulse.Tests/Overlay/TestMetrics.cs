using System.Diagnostics.Metrics;
using ChatPulse.Api.Infrastructure.Telemetry;

namespace ChatPulse.Tests.Overlay;

/// <summary>A private <see cref="ChatPulseMetrics"/> whose counters a test can read.</summary>
internal sealed class TestMetrics : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, long> _totals = [];

    public TestMetrics()
    {
        var factory = new Factory();
        Metrics = new ChatPulseMetrics(factory);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, factory.Created))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var key = instrument.Name + string.Concat(tags.ToArray().Select(t => $"|{t.Key}={t.Value}"));
            lock (_totals)
            {
                _totals[key] = _totals.GetValueOrDefault(key) + value;
            }
        });
        _listener.Start();
    }

    public ChatPulseMetrics Metrics { get; }

    /// <summary>The sum recorded on a counter, e.g. <c>chatpulse.overlay.frames.dropped|reason=slow_socket</c>.</summary>
    public long Total(string key)
    {
        lock (_totals)
        {
            return _totals.GetValueOrDefault(key);
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        Metrics.Dispose();
    }

    private sealed class Factory : IMeterFactory
    {
        public Meter? Created { get; private set; }

        public Meter Create(MeterOptions options) => Created = new Meter(options);

        public void Dispose() => Created?.Dispose();
    }
}
