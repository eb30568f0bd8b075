using System.Reflection;
using DbUp;
using DbUp.Engine.Output;
using Npgsql;

namespace ChatPulse.Api.Infrastructure.Database;

/// <summary>
/// Applies the versioned SQL scripts in <c>Infrastructure/Database/Migrations</c> at start-up with DbUp,
/// journaled in <c>schema_migrations</c>. A Postgres advisory lock serialises replicas that start together:
/// the first applies the scripts, the others find them journaled.
/// </summary>
public sealed class MigrationRunner(
    IOptions<Settings.ConnectionOptions> connections,
    MigrationState state,
    ILogger<MigrationRunner> logger,
    TimeProvider time) : BackgroundService
{
    public const string JournalTable = "schema_migrations";

    /// <summary>Arbitrary but fixed: every replica must take the same lock. Advisory locks are per database.</summary>
    internal const long AdvisoryLockKey = 0x43_68_61_74_50_75_6C_73; // "ChatPuls"

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var attempt = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await MigrateAsync(connections.Value.Database, stoppingToken);
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException && !stoppingToken.IsCancellationRequested)
            {
                // The database may still be starting; readiness stays red and says why while we retry.
                attempt++;
                var delay = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, Math.Min(attempt, 5))));
                state.Report($"failed (attempt {attempt}); retrying in {delay.TotalSeconds:0} s"); // the reason is logged, not shown
                logger.LogWarning(e, "Migrations failed (attempt {Attempt}); retrying in {Delay}", attempt, delay);
                await Task.Delay(delay, time, stoppingToken);
            }
        }
    }

    public async Task MigrateAsync(string connectionString, CancellationToken cancellationToken)
    {
        state.Report("waiting for the database");
        await DatabaseCreator.EnsureExistsAsync(connectionString, logger, cancellationToken);

        await using var lockConnection = new NpgsqlConnection(connectionString);
        await lockConnection.OpenAsync(cancellationToken);
        state.Report("waiting for the migration lock");
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_lock($1)", lockConnection))
        {
            command.Parameters.AddWithValue(AdvisoryLockKey);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            state.Report("running");
            var upgrader = DeployChanges.To.PostgresqlDatabase(connectionString)
                .WithScriptsEmbeddedInAssembly(Assembly.GetExecutingAssembly(), name => name.Contains(".Migrations.", StringComparison.Ordinal))
                .JournalToPostgresqlTable("public", JournalTable)
                .WithTransactionPerScript()
                .LogTo(new UpgradeLog(logger))
                .Build();
            var result = await Task.Run(upgrader.PerformUpgrade, cancellationToken);
            if (!result.Successful)
            {
                throw new InvalidOperationException($"Migration {result.ErrorScript?.Name} failed: {result.Error?.Message}", result.Error);
            }

            var applied = result.Scripts.Select(s => s.Name).ToArray();
            logger.LogInformation("Schema is current; applied {Count} script(s) now: {Scripts}", applied.Length, applied);
            state.MarkDone(applied.Length == 0 ? "schema current" : $"applied {string.Join(", ", applied)}");
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", lockConnection);
            unlock.Parameters.AddWithValue(AdvisoryLockKey);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private sealed class UpgradeLog(ILogger logger) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) => logger.LogTrace(format, args);
        public void LogDebug(string format, params object[] args) => logger.LogDebug(format, args);
        public void LogInformation(string format, params object[] args) => logger.LogInformation(format, args);
        public void LogWarning(string format, params object[] args) => logger.LogWarning(format, args);
        public void LogError(string format, params object[] args) => logger.LogError(format, args);
        public void LogError(Exception ex, string format, params object[] args) => logger.LogError(ex, format, args);
    }
}
