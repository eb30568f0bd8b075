using ChatPulse.Api.Infrastructure.Redis;
using ChatPulse.Api.Infrastructure.Settings;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using StackExchange.Redis;

namespace ChatPulse.Api.Infrastructure.DataProtection;

public static class SharedKeyRingExtensions
{
    /// <summary>The application name every replica shares; Data Protection isolates key use by it.</summary>
    public const string ApplicationName = "ChatPulse";

    /// <summary>
    /// One Data Protection key ring for every replica, kept in Redis (<see cref="RedisKeys.DataProtectionKeys"/>) and
    /// encrypted at rest with AES-256-GCM under TOKEN_ENCRYPTION_KEY. Cookies, OAuth state and antiforgery tokens
    /// made by one replica are then readable by all.
    /// </summary>
    public static IHostApplicationBuilder AddSharedKeyRing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddDataProtection().SetApplicationName(ApplicationName);
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<IConnectionMultiplexer, IOptions<SecurityOptions>>((options, redis, security) =>
            {
                options.XmlRepository = new RedisXmlRepository(() => redis.GetDatabase(), RedisKeys.DataProtectionKeys);
                options.XmlEncryptor = new AesGcmXmlEncryptor(security.Value.TokenEncryptionKeyBytes);
            });
        return builder;
    }
}
