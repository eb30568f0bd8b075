namespace ChatPulse.AppHost;

/// <summary>
/// Publish mode shapes the manifest Aspirate turns into <c>aspirate-output/</c>: nothing secret is generated into it.
/// Passwords and connection URLs come from the <c>chatpulse-secrets</c> Secret the operator creates, settings from the
/// <c>chatpulse-config</c> ConfigMap; both are wired in <c>k8s/</c>, the production layer over <c>aspirate-output/</c>.
/// </summary>
public static class KubernetesPublishing
{
    /// <summary>The port the <c>chatpulse</c> Service listens on (the pod listens on 8080).</summary>
    public const int ServicePort = 80;

    /// <summary>Aspirate names the data volume after this, the same on every machine (Aspire's default embeds a path hash).</summary>
    public const string PostgresVolume = "postgres-data";

    /// <summary>
    /// The API: plain HTTP behind the ingress, which ends TLS. It gets no connection strings and no settings here;
    /// DATABASE_URL, REDIS_URL and the rest reach the pod through envFrom.
    /// </summary>
    public static IResourceBuilder<ProjectResource> PublishToKubernetes(this IResourceBuilder<ProjectResource> api)
    {
        api.WithEndpoint("http", endpoint => endpoint.Port = ServicePort);
        foreach (var https in api.Resource.Annotations.OfType<EndpointAnnotation>().Where(e => e.Name == "https").ToList())
        {
            api.Resource.Annotations.Remove(https);
        }

        return api;
    }

    /// <summary>
    /// In-cluster Postgres: TLS on (the image's self-signed certificate), since the API refuses a production database
    /// without it (DATABASE_URL's sslmode=require); the superuser password comes from the Secret.
    /// </summary>
    public static IResourceBuilder<PostgresServerResource> PublishToKubernetes(this IResourceBuilder<PostgresServerResource> postgres) =>
        postgres
            .WithArgs("-c", "ssl=on",
                "-c", "ssl_cert_file=/etc/ssl/certs/ssl-cert-snakeoil.pem",
                "-c", "ssl_key_file=/etc/ssl/private/ssl-cert-snakeoil.key")
            .WithPasswordFromSecret("POSTGRES_PASSWORD");

    /// <summary>In-cluster Redis: <c>--requirepass $REDIS_PASSWORD</c> as Aspire starts it, the variable from the Secret.</summary>
    public static IResourceBuilder<RedisResource> PublishToKubernetes(this IResourceBuilder<RedisResource> redis) =>
        redis.WithPasswordFromSecret("REDIS_PASSWORD");

    /// <summary>
    /// Drops the generated password Aspire would pass. Aspirate writes REDIS_PASSWORD into a plain ConfigMap and
    /// POSTGRES_PASSWORD into a secret file that exists only while <c>aspirate apply</c> runs (so <c>kubectl kustomize</c>
    /// fails without it); either way the operator could not put the same password into DATABASE_URL / REDIS_URL.
    /// k8s/data/in-cluster sets the variable from <c>chatpulse-secrets</c> instead.
    /// </summary>
    private static IResourceBuilder<T> WithPasswordFromSecret<T>(this IResourceBuilder<T> resource, string variable)
        where T : IResourceWithEnvironment =>
        resource.WithEnvironment(context => context.EnvironmentVariables.Remove(variable));
}
