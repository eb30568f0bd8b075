using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Api.Timeline;
using ChatPulse.Tests.Deployment.Support;
using ChatPulse.Tests.Support;
using Npgsql;
using StackExchange.Redis;

namespace ChatPulse.Tests.Timeline;

/// <summary>The <c>mood_points</c> and <c>polls</c> rows a timeline test writes or reads, and the timeline's metrics of a replica.</summary>
internal static class TimelineRows
{
    /// <summary>A replica's settings for timeline tests: a short interval, and a Redis database of the test's own so no other replica's recorder shares its intervals.</summary>
    public static void Use(Dictionary<string, string> environment, int redisDatabase, string interval = "1s")
    {
        environment["TIMELINE_INTERVAL"] = interval;
        environment["ConnectionStrings__redis"] += $",defaultDatabase={redisDatabase}";
    }

    public static async Task<List<MoodPoint>> PointsAsync(NpgsqlDataSource database, Guid streamerId)
    {
        await using var command = database.CreateCommand(
            "SELECT at, votes_for, votes_against, votes, votes_per_second FROM mood_points WHERE streamer_id = $1 ORDER BY at");
        command.Parameters.AddWithValue(streamerId);
        await using var reader = await command.ExecuteReaderAsync();
        var points = new List<MoodPoint>();
        while (await reader.ReadAsync())
        {
            points.Add(new MoodPoint(reader.GetFieldValue<DateTimeOffset>(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt32(3), reader.GetFloat(4)));
        }

        return points;
    }

    /// <summary>Waits until the streamer's points hold <paramref name="votes"/> votes in all.</summary>
    public static async Task<List<MoodPoint>> WaitForVotesAsync(NpgsqlDataSource database, Guid streamerId, long votes)
    {
        var points = new List<MoodPoint>();
        await Waits.Until(async () => (points = await PointsAsync(database, streamerId)).Sum(p => p.Votes) >= votes, Waits.Short,
            $"points holding {votes} votes");
        return points;
    }

    /// <summary>
    /// Waits until a recorder on Redis database <paramref name="redisDatabase"/> has claimed the interval ending at
    /// <paramref name="end"/> (or one of the next few, should a late wake skip it): each recorder's steps run in order,
    /// so every interval before it has been written, or found quiet, by then.
    /// </summary>
    public static Task WaitForClaimAsync(AppHostFixture fixture, int redisDatabase, DateTimeOffset end, TimeSpan interval)
    {
        var keys = Enumerable.Range(0, 5).Select(i => (RedisKey)RedisKeys.TimelineWriter((end + interval * i).ToUnixTimeMilliseconds())).ToArray();
        return Waits.Until(async () => await fixture.Redis.GetDatabase(redisDatabase).KeyExistsAsync(keys) > 0, Waits.Short,
            $"the recorder to claim the interval ending {end:HH:mm:ss}");
    }

    public static async Task InsertAsync(NpgsqlDataSource database, Guid streamerId, params MoodPoint[] points)
    {
        await using var command = database.CreateCommand("""
            INSERT INTO mood_points (streamer_id, at, votes_for, votes_against, votes, votes_per_second)
            SELECT $1, * FROM unnest($2::timestamptz[], $3::bigint[], $4::bigint[], $5::integer[], $6::real[])
            """);
        command.Parameters.AddWithValue(streamerId);
        command.Parameters.AddWithValue(points.Select(p => p.At).ToArray());
        command.Parameters.AddWithValue(points.Select(p => p.For).ToArray());
        command.Parameters.AddWithValue(points.Select(p => p.Against).ToArray());
        command.Parameters.AddWithValue(points.Select(p => p.Votes).ToArray());
        command.Parameters.AddWithValue(points.Select(p => (float)p.VotesPerSecond).ToArray());
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>An ended poll, as poll-engine stores one: options "Yes"/"No", <paramref name="winner"/> 0-based.</summary>
    public static async Task<Guid> InsertEndedPollAsync(NpgsqlDataSource database, Guid streamerId, string question, DateTimeOffset start,
        DateTimeOffset end, int winner)
    {
        var id = Guid.NewGuid();
        await using var command = database.CreateCommand("""
            INSERT INTO polls (id, streamer_id, question, options, repeat_rule, duration_seconds, result_seconds, status, started_at, ends_at, ended_at, counts, winners)
            VALUES ($1, $2, $3, '[{"label": "Yes", "triggers": ["1"]}, {"label": "No", "triggers": ["2"]}]', 'first', NULL, 15, 'ended', $4, NULL, $5, '{7,3}', ARRAY[$6])
            """);
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(streamerId);
        command.Parameters.AddWithValue(question);
        command.Parameters.AddWithValue(start);
        command.Parameters.AddWithValue(end);
        command.Parameters.AddWithValue(winner);
        await command.ExecuteNonQueryAsync();
        return id;
    }

    /// <summary>The replica's <c>chatpulse_timeline_statements_total</c> for one statement (successful ones).</summary>
    public static async Task<double> StatementsAsync(ApiInstance replica, string statement) =>
        (await SamplesAsync(replica)).Where(s => s.Name == "chatpulse_timeline_statements_total" && s.Labels.GetValueOrDefault("statement") == statement
            && s.Labels.GetValueOrDefault("result") == "ok").Sum(s => s.Value);

    /// <summary>A Prometheus sample's value summed over its labels (0 when absent).</summary>
    public static async Task<double> MetricAsync(ApiInstance replica, string name) =>
        (await SamplesAsync(replica)).Where(s => s.Name == name).Sum(s => s.Value);

    public static async Task<IReadOnlyList<PrometheusSample>> SamplesAsync(ApiInstance replica) =>
        PrometheusSample.Parse(await replica.Client.GetStringAsync("/metrics"));
}
