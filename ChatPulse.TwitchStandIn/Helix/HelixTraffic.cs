namespace ChatPulse.TwitchStandIn.Helix;

/// <summary>
/// Per-app token bucket (800 points a minute, one point a call) behind the <c>Ratelimit-*</c> headers, and the
/// test switch that makes an app's next N calls answer 429 or a 5xx.
/// </summary>
public sealed class HelixTraffic(TimeProvider time)
{
    public const int Limit = 800;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, (DateTimeOffset Start, int Used)> _buckets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<Fault>> _faults = new(StringComparer.Ordinal);

    /// <summary>One injected failure: <paramref name="Status"/> 429 waits <paramref name="ResetAfterSeconds"/>.</summary>
    public sealed record Fault(int Status, int ResetAfterSeconds);

    /// <summary>What a call gets: the headers' values, and the status to fail with (null: go ahead).</summary>
    public sealed record Admission(int Remaining, long ResetUnixSeconds, int? FailWith);

    public void Inject(string clientId, int status, int count, int resetAfterSeconds)
    {
        lock (_lock)
        {
            if (!_faults.TryGetValue(clientId, out var queue))
            {
                _faults[clientId] = queue = new Queue<Fault>();
            }

            for (var i = 0; i < count; i++)
            {
                queue.Enqueue(new Fault(status, resetAfterSeconds));
            }
        }
    }

    public void ClearFaults(string clientId)
    {
        lock (_lock)
        {
            _faults.Remove(clientId);
        }
    }

    public Admission Admit(string clientId)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_faults.TryGetValue(clientId, out var queue) && queue.TryDequeue(out var fault))
            {
                return fault.Status == StatusCodes.Status429TooManyRequests
                    ? new Admission(0, Ceiling(now.AddSeconds(fault.ResetAfterSeconds)), fault.Status)
                    : new Admission(Remaining(clientId, now), Ceiling(Reset(clientId, now)), fault.Status);
            }

            var (start, used) = Bucket(clientId, now);
            if (used >= Limit)
            {
                return new Admission(0, Ceiling(start + Window), StatusCodes.Status429TooManyRequests);
            }

            _buckets[clientId] = (start, used + 1);
            return new Admission(Limit - used - 1, Ceiling(start + Window), null);
        }
    }

    private (DateTimeOffset Start, int Used) Bucket(string clientId, DateTimeOffset now) =>
        _buckets.TryGetValue(clientId, out var bucket) && now - bucket.Start < Window ? bucket : (now, 0);

    private int Remaining(string clientId, DateTimeOffset now) => Limit - Bucket(clientId, now).Used;

    private DateTimeOffset Reset(string clientId, DateTimeOffset now) => Bucket(clientId, now).Start + Window;

    private static long Ceiling(DateTimeOffset at) => (at.ToUnixTimeMilliseconds() + 999) / 1000;
}
