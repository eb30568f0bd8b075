using ChatPulse.Api.Infrastructure.Settings;

namespace ChatPulse.Api.Platform;

/// <summary>
/// Endpoint metadata that replaces the default security headers for one endpoint or group. The overlay page uses
/// <see cref="SecurityHeadersExtensions.AllowEmbedding{TBuilder}"/> so OBS (any origin) can frame it.
/// </summary>
/// <param name="ContentSecurityPolicy">The CSP to send instead of the default one.</param>
/// <param name="AllowFraming">True leaves out <c>X-Frame-Options</c>.</param>
public sealed record SecurityHeadersPolicy(string ContentSecurityPolicy, bool AllowFraming);

public static class SecurityHeadersExtensions
{
    /// <summary>The dashboard's policy: everything from this origin only, no framing, no plugins.</summary>
    public const string DefaultContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Same origin for everything, but any page may frame it (OBS browser sources), and WebSockets may connect back.</summary>
    public const string EmbeddableContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors *";

    /// <summary>
    /// Lets any site frame these endpoints: <c>frame-ancestors *</c> and no <c>X-Frame-Options</c>. Pass a CSP to
    /// replace <see cref="EmbeddableContentSecurityPolicy"/> (keep <c>frame-ancestors *</c> in it).
    /// </summary>
    public static TBuilder AllowEmbedding<TBuilder>(this TBuilder builder, string? contentSecurityPolicy = null)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new SecurityHeadersPolicy(contentSecurityPolicy ?? EmbeddableContentSecurityPolicy, AllowFraming: true));

    /// <summary>Adds the headers to every response; see <see cref="SecurityHeadersPolicy"/> for per-endpoint overrides.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        var production = app.ApplicationServices.GetRequiredService<IOptions<AppOptions>>().Value.IsProduction;
        return app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                Apply(context, production);
                return Task.CompletedTask;
            });
            return next(context);
        });
    }

    /// <summary>Writes the headers, leaving any a handler already set (e.g. its own CSP) as it is.</summary>
    internal static void Apply(HttpContext context, bool production)
    {
        var policy = context.GetEndpoint()?.Metadata.GetMetadata<SecurityHeadersPolicy>();
        var headers = context.Response.Headers;
        headers.TryAdd("Content-Security-Policy", policy?.ContentSecurityPolicy ?? DefaultContentSecurityPolicy);
        if (policy is not { AllowFraming: true })
        {
            headers.TryAdd("X-Frame-Options", "DENY");
        }

        headers.TryAdd("X-Content-Type-Options", "nosniff");
        headers.TryAdd("Referrer-Policy", "strict-origin-when-cross-origin");
        headers.TryAdd("Cross-Origin-Opener-Policy", "same-origin");
        headers.TryAdd("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
        if (production)
        {
            // TLS ends at the load balancer, so the request scheme says nothing; production is HTTPS-only.
            headers.TryAdd("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        }
    }
}
