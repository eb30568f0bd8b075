using ChatPulse.Api.Infrastructure.Telemetry;
using ChatPulse.Api.Polls;
using Npgsql;

namespace ChatPulse.Api.Timeline;

/// <summary>
/// The <c>mood_points</c> table (migration 0008) and the polls the chart marks. Every statement is counted and timed
/// in <c>chatpulse.timeline.statements</c> / <c>chatpulse.timeline.statement.duration</c>.
/// </summary>
public sealed class TimelineStore(NpgsqlDataSource dataSource, ChatPulseMetrics metrics, TimeProvider time)
{
    /// <summary>A gap between two points longer than this starts a new stream.</summary>
    public static readonly TimeSpan StreamGap = TimeSpan.FromMinutes(30);

    /// <summary>The most of one stream a chart or an export reads (a week of points at the default interval).</summary>
    public const int MaxStreamPoints = 60_480;

    // One statement for every channel of the interval; a channel whose streamer is gone drops out of the join, and a
    // second write of the same interval (a replica that lost its claim in Redis) changes nothing.
    private const string InsertSql = """
        INSERT INTO mood_points (streamer_id, at, votes_for, votes_against, votes, votes_per_second)
        SELECT s.id, $1, p.f, p.a, p.v, p.v / $2::real
        FROM unnest($3::text[], $4::bigint[], $5::bigint[], $6::integer[]) AS p (broadcaster_id, f, a, v)
        JOIN streamers s ON s.twitch_user_id = p.broadcaster_id
        ON CONFLICT (streamer_id, at) DO NOTHING
        """;

    // Gaps and islands: a point more than StreamGap after the one before starts a stream; streams numbered by a running sum.
    private const string StreamsSql = """
        SELECT min(at), max(at), count(*)::integer, sum(votes)::bigint
        FROM (SELECT at, votes, sum(starts) OVER (ORDER BY at) AS stream
              FROM (SELECT at, votes, CASE WHEN at - lag(at) OVER (ORDER BY at) <= $2 THEN 0 ELSE 1 END AS starts
                    FROM mood_points WHERE streamer_id = $1) marked) numbered
        GROUP BY stream ORDER BY min(at) DESC LIMIT $3
        """;

    /// <summary>Writes one interval's points (ending at <paramref name="at"/>) in one statement; the number of rows inserted.</summary>
    public Task<int> InsertAsync(DateTimeOffset at, TimeSpan interval, IReadOnlyList<IntervalPoint> points, CancellationToken cancellationToken) =>
        TimedAsync("insert_points", async () =>
        {
            await using var command = dataSource.CreateCommand(InsertSql);
            command.Parameters.AddWithValue(at);
            command.Parameters.AddWithValue((float)interval.TotalSeconds);
            command.Parameters.AddWithValue(points.Select(p => p.BroadcasterId).ToArray());
            command.Parameters.AddWithValue(points.Select(p => p.For).ToArray());
            command.Parameters.AddWithValue(points.Select(p => p.Against).ToArray());
            command.Parameters.AddWithValue(points.Select(p => p.Votes).ToArray());
            var inserted = await command.ExecuteNonQueryAsync(cancellationToken);
            metrics.TimelinePoints.Add(inserted);
            return inserted;
        });

    /// <summary>Deletes up to <paramref name="batch"/> points older than <paramref name="before"/>; the number deleted.</summary>
    public Task<int> DeleteOlderAsync(DateTimeOffset before, int batch, CancellationToken cancellationToken) =>
        TimedAsync("delete_expired", async () =>
        {
            await using var command = dataSource.CreateCommand(
                "DELETE FROM mood_points WHERE ctid = ANY (ARRAY(SELECT ctid FROM mood_points WHERE at < $1 LIMIT $2))");
            command.Parameters.AddWithValue(before);
            command.Parameters.AddWithValue(batch);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        });

    /// <summary>The streamer's latest streams, newest first.</summary>
    public Task<List<MoodStream>> StreamsAsync(Guid streamerId, int limit, CancellationToken cancellationToken) =>
        TimedAsync("read", async () =>
        {
            await using var command = dataSource.CreateCommand(StreamsSql);
            command.Parameters.AddWithValue(streamerId);
            command.Parameters.AddWithValue(StreamGap);
            command.Parameters.AddWithValue(limit);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var streams = new List<MoodStream>();
            while (await reader.ReadAsync(cancellationToken))
            {
                streams.Add(new MoodStream(reader.GetFieldValue<DateTimeOffset>(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt32(2), reader.GetInt64(3)));
            }

            return streams;
        });

    /// <summary>
    /// The points of the stream that starts at <paramref name="start"/>, oldest first; null when no stream of this
    /// streamer starts there (no point then, or one less than <see cref="StreamGap"/> before it).
    /// </summary>
    public Task<List<MoodPoint>?> StreamPointsAsync(Guid streamerId, DateTimeOffset start, CancellationToken cancellationToken) =>
        TimedAsync("read", async () =>
        {
            await using var command = dataSource.CreateCommand("""
                SELECT at, votes_for, votes_against, votes, votes_per_second FROM mood_points
                WHERE streamer_id = $1 AND at >= $2 - $3 ORDER BY at LIMIT $4
                """);
            command.Parameters.AddWithValue(streamerId);
            command.Parameters.AddWithValue(start);
            command.Parameters.AddWithValue(StreamGap);
            command.Parameters.AddWithValue(MaxStreamPoints + 1);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var points = new List<MoodPoint>();
            while (await reader.ReadAsync(cancellationToken) && points.Count < MaxStreamPoints)
            {
                var point = new MoodPoint(reader.GetFieldValue<DateTimeOffset>(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt32(3), reader.GetFloat(4));
                if (points.Count == 0 && point.At != start)
                {
                    return null; // a point within the gap before it: start is not where a stream begins
                }

                if (points.Count > 0 && point.At - points[^1].At > StreamGap)
                {
                    break;
                }

                points.Add(point);
            }

            return points.Count == 0 ? null : points;
        });

    /// <summary>The streamer's polls that ran at some moment between <paramref name="from"/> and <paramref name="to"/>, oldest first.</summary>
    public Task<List<TimelinePoll>> PollsAsync(Guid streamerId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        TimedAsync("read", async () =>
        {
            await using var command = dataSource.CreateCommand("""
                SELECT id, question, started_at, coalesce(ended_at, ends_at), status, coalesce(winners, '{}'), options FROM polls
                WHERE streamer_id = $1 AND started_at <= $3 AND coalesce(ended_at, ends_at, 'infinity') >= $2
                ORDER BY started_at LIMIT 200
                """);
            command.Parameters.AddWithValue(streamerId);
            command.Parameters.AddWithValue(from);
            command.Parameters.AddWithValue(to);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var polls = new List<TimelinePoll>();
            while (await reader.ReadAsync(cancellationToken))
            {
                var labels = PollStore.ReadOptions(reader.GetString(6)).Select(o => o.Label).ToArray();
                var winners = reader.GetFieldValue<int[]>(5).Where(i => i >= 0 && i < labels.Length).Select(i => labels[i]).ToArray();
                polls.Add(new TimelinePoll(reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2),
                    reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3), reader.GetString(4), winners));
            }

            return polls;
        });

    private async Task<T> TimedAsync<T>(string statement, Func<Task<T>> run)
    {
        var started = time.GetTimestamp();
        var result = "error";
        try
        {
            var value = await run();
            result = "ok";
            return value;
        }
        finally
        {
            var tag = new KeyValuePair<string, object?>("statement", statement);
            metrics.TimelineStatements.Add(1, tag, new KeyValuePair<string, object?>("result", result));
            metrics.TimelineStatementDuration.Record(time.GetElapsedTime(started).TotalSeconds, tag);
        }
    }
}
