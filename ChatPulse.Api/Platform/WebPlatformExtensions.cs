using ChatPulse.Api.Infrastructure.Settings;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Logging.Console;

namespace ChatPulse.Api.Platform;

/// <summary>Cross-cutting web concerns: correlation ids, problem details, security headers, rate limits, antiforgery, audit.</summary>
public static class WebPlatformExtensions
{
    public static IHostApplicationBuilder AddWebPlatform(this IHostApplicationBuilder builder)
    {
        // Before AddProblemDetails, so browsers get the page and everything else the JSON writer.
        builder.Services.AddSingleton<IProblemDetailsWriter, HtmlProblemWriter>();
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions["correlationId"] = CorrelationIdMiddleware.Of(context.HttpContext);
        });

        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<AppOptions>>((options, app) =>
        {
            // Only the configured proxies: the framework's default trusts loopback, and with no list at all, everyone.
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var network in app.Value.TrustedProxyNetworks)
            {
                options.KnownIPNetworks.Add(network);
            }

            options.ForwardLimit = null; // a chain of trusted proxies (load balancer → ingress) is walked to the client
        });
        builder.Services.AddChatPulseRateLimits();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.Configure<SimpleConsoleFormatterOptions>(options => options.IncludeScopes = true);

        builder.Services.AddAntiforgery();
        builder.Services.AddOptions<AntiforgeryOptions>().Configure<IOptions<AppOptions>>((options, app) =>
        {
            options.Cookie.Name = "chatpulse_csrf";
            options.Cookie.SecurePolicy = app.Value.IsProduction ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        });
        return builder;
    }

    /// <summary>
    /// The client address from trusted proxies' headers (TRUSTED_PROXIES). First in the pipeline, before the overlay
    /// sockets too: every later step (their per-client caps, rate limits, logs) sees the client, not the ingress.
    /// </summary>
    public static WebApplication UseClientAddress(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<AppOptions>>().Value.TrustedProxyNetworks.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }

    /// <summary>
    /// The request pipeline in order, after <see cref="UseClientAddress"/>: correlation id (so every later log line
    /// has it), errors as problem details, security headers, routing, rate limits (before authentication, so a flood
    /// of callbacks costs nothing), authentication, authorization, antiforgery. Overlay sockets are served before all
    /// of it (<c>UseOverlaySockets</c>).
    /// </summary>
    public static WebApplication UseWebPlatform(this WebApplication app)
    {
        app.UseMiddleware<CorrelationIdMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSecurityHeaders();
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }
}
