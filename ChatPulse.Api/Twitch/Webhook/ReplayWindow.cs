namespace ChatPulse.Api.Twitch.Webhook;

/// <summary>
/// Twitch's replay rule for webhook deliveries: a message whose signed timestamp is more than <see cref="Tolerance"/>
/// from now (either way) is refused, and one inside it must be recognised when Twitch delivers it again.
/// </summary>
public static class ReplayWindow
{
    /// <summary>How far a delivery's timestamp may be from now, either way.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(10);

    /// <summary>Minimum time a counted message stays "seen".</summary>
    public static readonly TimeSpan MinimumSeenTtl = TimeSpan.FromMinutes(10);

    /// <summary>True when a message sent at <paramref name="sentAt"/> is inside the window at <paramref name="now"/>.</summary>
    public static bool Admits(DateTimeOffset sentAt, DateTimeOffset now) => (now - sentAt).Duration() <= Tolerance;

    /// <summary>
    /// A message is accepted while its timestamp is within <see cref="Tolerance"/> of now, so it must stay
    /// "seen" until then (plus a minute of clock skew between replicas), and never less than 10 minutes.
    /// </summary>
    public static TimeSpan SeenTtl(DateTimeOffset sentAt, DateTimeOffset now)
    {
        var untilReplayImpossible = sentAt + Tolerance + TimeSpan.FromMinutes(1) - now;
        return untilReplayImpossible > MinimumSeenTtl ? untilReplayImpossible : MinimumSeenTtl;
    }
}
