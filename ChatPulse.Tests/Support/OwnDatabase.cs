using System.Reflection;
using ChatPulse.Api.Infrastructure.Database;
using ChatPulse.Api.Infrastructure.Settings;
using DbUp;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ChatPulse.Tests.Support;

/// <summary>
/// A database of a test's own on the AppHost's Postgres server, so a test
/// can begin from an empty key ring or cut its replicas off from Postgres without touching the shared database.
/// An API replica creates and migrates it at start; a test without one calls <see cref="MigrateAsync"/> or
/// <see cref="CreateEmptyAsync"/>. Dropped on dispose.
/// </summary>
public sealed class OwnDatabase(AppHostFixture fixture) : IAsyncDisposable
{
    public string Name { get; } = $"own_{Guid.NewGuid():N}";

    public string ConnectionString => new NpgsqlConnectionStringBuilder(fixture.DatabaseConnectionString) { Database = Name }.ConnectionString;

    /// <summary>Points an API replica's environment at this database.</summary>
    public void Use(Dictionary<string, string> environment) => environment["ConnectionStrings__chatpulsedb"] = ConnectionString;

    /// <summary>The migration runner a replica runs at start, over this database (it creates the database if missing).</summary>
    public MigrationRunner NewRunner() => new(Options.Create(new ConnectionOptions { Database = ConnectionString }), new MigrationState(),
        NullLogger<MigrationRunner>.Instance, TimeProvider.System);

    /// <summary>Creates and migrates the database, as a replica does at start.</summary>
    public Task MigrateAsync(CancellationToken cancellationToken) => NewRunner().MigrateAsync(ConnectionString, cancellationToken);

    /// <summary>
    /// Creates the database with the migrations named before <paramref name="version"/> (e.g. <c>"0005"</c>) applied
    /// and journaled, as a release before that one left it; <see cref="MigrateAsync"/> then runs the rest.
    /// </summary>
    public async Task MigrateBeforeAsync(string version, CancellationToken cancellationToken)
    {
        await DatabaseCreator.EnsureExistsAsync(ConnectionString, NullLogger.Instance, cancellationToken);
        var result = DeployChanges.To.PostgresqlDatabase(ConnectionString)
            .WithScriptsEmbeddedInAssembly(Assembly.GetAssembly(typeof(MigrationRunner))!,
                name => name.Contains(".Migrations.", StringComparison.Ordinal)
                    && string.CompareOrdinal(name[(name.IndexOf(".Migrations.", StringComparison.Ordinal) + 12)..], version) < 0)
            .JournalToPostgresqlTable("public", MigrationRunner.JournalTable)
            .WithTransactionPerScript()
            .Build()
            .PerformUpgrade();
        Assert.True(result.Successful, result.Error?.Message);
    }

    /// <summary>Creates the database with no schema, as one no replica has migrated yet.</summary>
    public Task CreateEmptyAsync() => ExecuteAsync($"CREATE DATABASE \"{Name}\"");

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
