using ChatPulse.Api.Timeline;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Timeline;

/// <summary>Two recorded streams of a streamer, written straight to Postgres, and a poll in the latest.</summary>
internal sealed record TimelineStreams(DateTimeOffset Older, DateTimeOffset Latest, MoodPoint[] LatestPoints, Guid PollId)
{
    public const string Question = "Best boss?";

    public long LatestId => Latest.ToUnixTimeMilliseconds();

    public long OlderId => Older.ToUnixTimeMilliseconds();

    /// <summary>
    /// The latest stream: five points 10 s apart, "for" shares 100 %, 50 %, 25 %, 75 %, 50 % (the last an empty window);
    /// the poll from its second to its fourth point, won by "Yes". The older stream: three points a day before.
    /// </summary>
    public static async Task<TimelineStreams> RecordAsync(AppHostFixture fixture, Guid streamerId)
    {
        var now = DateTimeOffset.UtcNow;
        var latest = DateTimeOffset.FromUnixTimeSeconds(now.AddDays(-1).ToUnixTimeSeconds() / 10 * 10);
        var older = latest.AddDays(-1);
        MoodPoint[] points =
        [
            new(latest, 1, 0, 10, 1), new(latest.AddSeconds(10), 1, 1, 5, 0.5), new(latest.AddSeconds(20), 1, 3, 2, 0.2),
            new(latest.AddSeconds(30), 3, 1, 4, 0.4), new(latest.AddSeconds(40), 0, 0, 1, 0.1),
        ];
        await TimelineRows.InsertAsync(fixture.Database, streamerId,
            [new(older, 2, 0, 2, 0.2), new(older.AddSeconds(10), 2, 2, 2, 0.2), new(older.AddSeconds(20), 2, 2, 1, 0.1), .. points]);
        var poll = await TimelineRows.InsertEndedPollAsync(fixture.Database, streamerId, Question, latest.AddSeconds(10), latest.AddSeconds(30), winner: 0);
        return new TimelineStreams(older, latest, points, poll);
    }
}
