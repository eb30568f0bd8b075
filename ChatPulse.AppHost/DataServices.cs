using ChatPulse.AppHost.LocalServices;

namespace ChatPulse.AppHost;

/// <summary>
/// PostgreSQL and Redis, as containers, local processes or connection strings given from outside. Published (for
/// Kubernetes) they are always the containers; external ones are chosen in k8s/ (data/external).
/// </summary>
public static class DataServices
{
    public const string DatabaseName = "chatpulsedb";
    public const string RedisName = "redis";

    public static IResourceBuilder<IResourceWithConnectionString> AddChatPulseDatabase(this IDistributedApplicationBuilder builder, InfrastructureMode mode)
    {
        if (IsGivenFromOutside(builder, DatabaseName))
        {
            return builder.AddConnectionString(DatabaseName);
        }

        if (builder.ExecutionContext.IsPublishMode)
        {
            return builder.AddPostgres("postgres")
                .WithDataVolume(KubernetesPublishing.PostgresVolume)
                .PublishToKubernetes()
                .AddDatabase(DatabaseName);
        }

        if (mode == InfrastructureMode.Containers)
        {
            return builder.AddPostgres("postgres")
                .WithDataVolume()
                .AddDatabase(DatabaseName);
        }

        var server = builder.AddLocalPostgres("postgres", LocalDataRoot(builder, "postgres"));
        // The API creates the database on first start (see MigrationRunner), as it must in Kubernetes too.
        return builder.AddConnectionString(DatabaseName, ReferenceExpression.Create($"{server.Resource};Database={DatabaseName}"))
            .WithParentRelationship(server)
            .WaitFor(server);
    }

    public static IResourceBuilder<IResourceWithConnectionString> AddChatPulseRedis(this IDistributedApplicationBuilder builder, InfrastructureMode mode)
    {
        if (IsGivenFromOutside(builder, RedisName))
        {
            return builder.AddConnectionString(RedisName);
        }

        if (builder.ExecutionContext.IsPublishMode)
        {
            return builder.AddRedis(RedisName).PublishToKubernetes();
        }

        return mode == InfrastructureMode.Containers
            ? builder.AddRedis(RedisName)
            : builder.AddLocalRedis(RedisName, LocalDataRoot(builder, "redis"));
    }

    /// <summary>Run mode only: a published connection string would carry its password into the generated manifests.</summary>
    private static bool IsGivenFromOutside(IDistributedApplicationBuilder builder, string name) =>
        builder.ExecutionContext.IsRunMode && !string.IsNullOrWhiteSpace(builder.Configuration[$"ConnectionStrings:{name}"]);

    /// <summary>
    /// Per-AppHost folder for local process data (ChatPulse:DataDirectory overrides it). Under the temp folder
    /// so the postgres OS user can reach it when the AppHost runs as root. The Twitch stand-in keeps its state there too.
    /// </summary>
    internal static string LocalDataRoot(this IDistributedApplicationBuilder builder, string service)
    {
        var root = builder.Configuration["ChatPulse:DataDirectory"];
        if (string.IsNullOrWhiteSpace(root))
        {
            var appHostId = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
                System.Text.Encoding.UTF8.GetBytes(builder.AppHostDirectory)))[..12].ToLowerInvariant();
            root = Path.Combine(Path.GetTempPath(), $"chatpulse-{appHostId}");
        }

        return Path.Combine(root, service);
    }
}
