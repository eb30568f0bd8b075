using ChatPulse.Api.Infrastructure.Settings;
using Microsoft.AspNetCore.HttpOverrides;

namespace ChatPulse.Api.Platform;

/// <summary>
/// The client address: <c>X-Forwarded-For</c> / <c>-Proto</c> are believed only from the proxies in TRUSTED_PROXIES,
/// whatever the environment says. <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c> (Aspire's Kubernetes output sets it)
/// makes the host add the framework's forwarded-headers middleware with empty trust lists — which the middleware
/// reads as "trust every sender" — and <c>ForwardedHeaders_KnownIPNetworks</c> / <c>_KnownProxies</c> can widen them;
/// the options here are applied after all of that, so every copy of the middleware believes TRUSTED_PROXIES only.
/// </summary>
internal static class TrustedProxies
{
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services)
    {
        // PostConfigure: after the host's own setup for ASPNETCORE_FORWARDEDHEADERS_ENABLED, whatever the registration order.
        services.AddOptions<ForwardedHeadersOptions>()
            .PostConfigure<IOptions<AppOptions>>((options, app) => Apply(options, app.Value.TrustedProxyNetworks));
        services.AddTransient<IStartupFilter, ForwardedHeadersFirst>();
        return services;
    }

    private static void Apply(ForwardedHeadersOptions options, IReadOnlyList<System.Net.IPNetwork> trusted)
    {
        // With nobody trusted, forward nothing: empty lists alone would mean everybody.
        options.ForwardedHeaders = trusted.Count > 0 ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto : ForwardedHeaders.None;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var network in trusted)
        {
            options.KnownIPNetworks.Add(network);
        }

        options.ForwardLimit = null; // a chain of trusted proxies (load balancer → ingress) is walked to the client
    }

    /// <summary>
    /// The middleware ahead of the whole pipeline (overlay sockets included), as the host's own filter places it when
    /// the variable is set; <c>UseForwardedHeaders()</c> adds it once per pipeline, so one pass runs either way.
    /// </summary>
    private sealed class ForwardedHeadersFirst(IOptions<AppOptions> app) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) =>
            app.Value.TrustedProxyNetworks.Count == 0 ? next : builder =>
            {
                builder.UseForwardedHeaders();
                next(builder);
            };
    }
}
