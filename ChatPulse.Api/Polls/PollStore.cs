using System.Text.Json;
using ChatPulse.Api.Streamers;
using Npgsql;
using NpgsqlTypes;

namespace ChatPulse.Api.Polls;

/// <summary>
/// The <c>polls</c> table (migration 0007). A poll's row is written when it starts and once more when it ends; the
/// partial unique index <c>polls_one_running</c> is the final word on "one poll at a time".
/// </summary>
public sealed class PollStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "id, streamer_id, question, options, repeat_rule, duration_seconds, result_seconds, status, started_at, ends_at, ended_at, counts, winners, votes_per_minute";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Stores a new running poll; null when the streamer already has one running.</summary>
    public async Task<PollRecord?> InsertAsync(Guid streamerId, PollDefinition poll, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        var record = new PollRecord(Guid.NewGuid(), streamerId, poll, PollRecord.Running, Truncate(startedAt),
            poll.DurationSeconds is { } d ? Truncate(startedAt).AddSeconds(d) : null, null, null, null, null);
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO polls (id, streamer_id, question, options, repeat_rule, duration_seconds, result_seconds, status, started_at, ends_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, 'running', $8, $9)
            """);
        command.Parameters.AddWithValue(record.Id);
        command.Parameters.AddWithValue(streamerId);
        command.Parameters.AddWithValue(poll.Question);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = WriteOptions(poll.Options) });
        command.Parameters.AddWithValue(poll.Rule);
        command.Parameters.Add(Nullable(poll.DurationSeconds));
        command.Parameters.Add(Nullable(poll.ResultSeconds));
        command.Parameters.AddWithValue(record.StartedAt);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)record.EndsAt ?? DBNull.Value });
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            return record;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "polls_one_running")
        {
            return null;
        }
    }

    /// <summary>The streamer's poll <paramref name="id"/>, or null when there is none (or it is another streamer's).</summary>
    public async Task<PollRecord?> GetAsync(Guid streamerId, Guid id, CancellationToken cancellationToken) =>
        (await QueryAsync("streamer_id = $1 AND id = $2", [streamerId, id], 1, cancellationToken)).SingleOrDefault();

    /// <summary>The streamer's running poll, or null.</summary>
    public async Task<PollRecord?> GetRunningAsync(Guid streamerId, CancellationToken cancellationToken) =>
        (await QueryAsync("streamer_id = $1 AND status = 'running'", [streamerId], 1, cancellationToken)).SingleOrDefault();

    /// <summary>The streamer's polls, newest first.</summary>
    public Task<List<PollRecord>> ListAsync(Guid streamerId, int limit, CancellationToken cancellationToken) =>
        QueryAsync("streamer_id = $1", [streamerId], limit, cancellationToken);

    /// <summary>Writes the result of a running poll; false when it was no longer running (another replica wrote it).</summary>
    public async Task<bool> FinishAsync(Guid id, string status, DateTimeOffset endedAt, long[] counts, int[] winners, long[] votesPerMinute,
        CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE polls SET status = $2, ended_at = $3, counts = $4, winners = $5, votes_per_minute = $6
            WHERE id = $1 AND status = 'running'
            """);
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(status);
        command.Parameters.AddWithValue(Truncate(endedAt));
        command.Parameters.AddWithValue(counts);
        command.Parameters.AddWithValue(winners);
        command.Parameters.AddWithValue(votesPerMinute);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Removes a poll whose start did not complete (its Redis state could not be written).</summary>
    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM polls WHERE id = $1 AND status = 'running'");
        command.Parameters.AddWithValue(id);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The options column's JSON, as <see cref="Streamers.StreamerStore"/> reads it with the channel.</summary>
    public static IReadOnlyList<PollOption> ReadOptions(string json) =>
        [.. JsonSerializer.Deserialize<StoredOption[]>(json, Json)!.Select(o => new PollOption(o.Label, TriggerList.Create([.. o.Triggers])))];

    private static string WriteOptions(IReadOnlyList<PollOption> options) =>
        JsonSerializer.Serialize(options.Select(o => new StoredOption(o.Label, [.. o.Triggers])), Json);

    /// <summary>The newest polls matching <paramref name="where"/>, whose $1…$n are <paramref name="values"/>; the limit comes after them.</summary>
    private async Task<List<PollRecord>> QueryAsync(string where, Guid[] values, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM polls WHERE {where} ORDER BY started_at DESC LIMIT ${values.Length + 1}");
        foreach (var value in values)
        {
            command.Parameters.AddWithValue(value);
        }

        command.Parameters.AddWithValue(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var polls = new List<PollRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            polls.Add(Read(reader));
        }

        return polls;
    }

    private static PollRecord Read(NpgsqlDataReader r) => new(
        r.GetGuid(0),
        r.GetGuid(1),
        new PollDefinition(r.GetString(2), ReadOptions(r.GetString(3)), r.IsDBNull(5) ? null : r.GetInt32(5), r.GetString(4),
            r.IsDBNull(6) ? null : r.GetInt32(6)),
        r.GetString(7),
        r.GetFieldValue<DateTimeOffset>(8),
        r.IsDBNull(9) ? null : r.GetFieldValue<DateTimeOffset>(9),
        r.IsDBNull(10) ? null : r.GetFieldValue<DateTimeOffset>(10),
        r.IsDBNull(11) ? null : r.GetFieldValue<long[]>(11),
        r.IsDBNull(12) ? null : r.GetFieldValue<int[]>(12),
        r.IsDBNull(13) ? null : r.GetFieldValue<long[]>(13));

    private static NpgsqlParameter Nullable(int? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Integer, Value = (object?)value ?? DBNull.Value };

    // Postgres keeps microseconds; Unix ms in Redis and the views then agree with the row exactly.
    private static DateTimeOffset Truncate(DateTimeOffset time) => DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());

    private sealed record StoredOption(string Label, string[] Triggers);
}
