using ChatPulse.Api.Infrastructure.Database;
using ChatPulse.Api.Infrastructure.Settings;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace ChatPulse.Api.Infrastructure.DataProtection;

public static class SharedKeyRingExtensions
{
    /// <summary>The application name every replica shares; Data Protection isolates key use by it.</summary>
    public const string ApplicationName = "ChatPulse";

    /// <summary>
    /// One Data Protection key ring for every replica, kept in Postgres (<see cref="PostgresXmlRepository"/>, so it
    /// outlives any Redis or replica restart) and encrypted at rest with AES-256-GCM under TOKEN_ENCRYPTION_KEY.
    /// Cookies, OAuth state and antiforgery tokens made by one replica are then readable by all. The ring is loaded
    /// (or its first key created) as soon as the migrations finish, ahead of the first request.
    /// </summary>
    public static IHostApplicationBuilder AddSharedKeyRing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddDataProtection().SetApplicationName(ApplicationName);
        builder.Services.AddSingleton<PostgresXmlRepository>();
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<PostgresXmlRepository, IOptions<SecurityOptions>>((options, repository, security) =>
            {
                options.XmlRepository = repository;
                options.XmlEncryptor = new AesGcmXmlEncryptor(security.Value.TokenEncryptionKeyBytes);
            });
        builder.Services.AddHostedService<KeyRingWarmup>();
        return builder;
    }
}

/// <summary>Reads the key ring (creating its first key on an empty one) once the migrations have made its table.</summary>
internal sealed partial class KeyRingWarmup(
    MigrationState migrations,
    IDataProtectionProvider dataProtection,
    ILogger<KeyRingWarmup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await migrations.Completed.WaitAsync(stoppingToken);
        try
        {
            // Protecting needs the default key: this loads the ring, or creates its first key.
            await Task.Run(() => dataProtection.CreateProtector("ChatPulse.KeyRingWarmup").Protect([1]), stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Any failure: Protect wraps the repository's (Npgsql) errors in a CryptographicException, and a warm-up
            // that threw would stop the host (a Postgres blip after the migrations would crash-loop the replica).
            // The first request that needs the ring loads it instead.
            LogWarmupFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Loading the Data Protection key ring at start failed; the first request will load it")]
    private static partial void LogWarmupFailed(ILogger logger, Exception exception);
}
