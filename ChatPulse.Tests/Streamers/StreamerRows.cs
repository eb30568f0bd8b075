using ChatPulse.Api.Streamers;
using Npgsql;

namespace ChatPulse.Tests.Streamers;

/// <summary>Streamers read straight from Postgres, for assertions (the API looks them up by id and overlay id only).</summary>
internal static class StreamerRows
{
    public static async Task<Streamer?> ByTwitchUserIdAsync(NpgsqlDataSource database, string twitchUserId)
    {
        var found = await QueryAsync(database, "twitch_user_id = $1", twitchUserId);
        return found.SingleOrDefault();
    }

    /// <summary>The one streamer with <paramref name="login"/>.</summary>
    public static async Task<Streamer> ByLoginAsync(NpgsqlDataSource database, string login) =>
        (await QueryAsync(database, "login = $1", login)).Single();

    private static async Task<List<Streamer>> QueryAsync(NpgsqlDataSource database, string where, string value)
    {
        await using var command = database.CreateCommand($"SELECT id, twitch_user_id, login, display_name, overlay_id FROM streamers WHERE {where}");
        command.Parameters.AddWithValue(value);
        await using var reader = await command.ExecuteReaderAsync();
        var streamers = new List<Streamer>();
        while (await reader.ReadAsync())
        {
            streamers.Add(new Streamer(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetGuid(4)));
        }

        return streamers;
    }
}
