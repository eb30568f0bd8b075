using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ChatPulse.Api.Infrastructure.Telemetry;

namespace ChatPulse.Tests.Support;

/// <summary>A private <see cref="ChatPulseMetrics"/> (from a <see cref="TestMeterFactory"/>) whose measurements a test can read.</summary>
public sealed class TestMetrics : IDisposable
{
    private readonly TestMeterFactory _factory = new();
    private readonly MeterListener _listener = new();

    public TestMetrics()
    {
        Metrics = new ChatPulseMetrics(_factory);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (_factory.Made(instrument.Meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public ChatPulseMetrics Metrics { get; }

    /// <summary>Every measurement: instrument name, value, tags as "key=value" strings.</summary>
    public ConcurrentQueue<(string Instrument, double Value, string[] Tags)> Measurements { get; } = new();

    /// <summary>The sum recorded on a counter, e.g. <c>chatpulse.overlay.frames.dropped|reason=slow_socket</c>.</summary>
    public long Total(string key) =>
        (long)Measurements.Where(m => m.Instrument + string.Concat(m.Tags.Select(t => $"|{t}")) == key).Sum(m => m.Value);

    /// <summary>How many measurements <paramref name="instrument"/> took with <paramref name="tag"/> ("key=value") among their tags.</summary>
    public int Count(string instrument, string tag) => Measurements.Count(m => m.Instrument == instrument && m.Tags.Contains(tag));

    public void Dispose()
    {
        _listener.Dispose();
        Metrics.Dispose();
        _factory.Dispose();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var strings = new string[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            strings[i] = $"{tags[i].Key}={tags[i].Value}";
        }

        Measurements.Enqueue((instrument.Name, value, strings));
    }
}
