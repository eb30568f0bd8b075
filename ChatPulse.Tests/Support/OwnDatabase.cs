using Npgsql;

namespace ChatPulse.Tests.Support;

/// <summary>
/// A database of a test's own on the AppHost's Postgres server (the API creates and migrates it at start), so a test
/// can begin from an empty key ring or cut its replicas off from Postgres without touching the shared database.
/// Dropped on dispose.
/// </summary>
public sealed class OwnDatabase(AppHostFixture fixture) : IAsyncDisposable
{
    public string Name { get; } = $"own_{Guid.NewGuid():N}";

    public string ConnectionString => new NpgsqlConnectionStringBuilder(fixture.DatabaseConnectionString) { Database = Name }.ConnectionString;

    /// <summary>Points an API replica's environment at this database.</summary>
    public void Use(Dictionary<string, string> environment) => environment["ConnectionStrings__chatpulsedb"] = ConnectionString;

    /// <summary>Refuses new connections and ends the open ones: to its replicas, the database is gone.</summary>
    public async Task CutOffAsync()
    {
        await ExecuteAsync($"ALTER DATABASE \"{Name}\" ALLOW_CONNECTIONS false");
        await ExecuteAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{Name}'");
    }

    public async ValueTask DisposeAsync()
    {
        await ExecuteAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = fixture.Database.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
