using ChatPulse.Api.Infrastructure.Settings;
using Microsoft.AspNetCore.Antiforgery;
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
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>(); // Postgres unreachable: 503 + Retry-After
        builder.Services.AddExceptionHandler<RedisUnavailableHandler>(); // Redis unreachable: 503 + Retry-After

        builder.Services.AddTrustedProxies();
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
    /// The request pipeline in order: correlation id and client address (so every later log line has them), errors as
    /// problem details, security headers, routing, rate limits (before authentication, so a flood of callbacks costs
    /// nothing), authentication, authorization, antiforgery. Overlay sockets are served before all of it
    /// (<c>UseOverlaySockets</c>); the client address from trusted proxies' headers is settled before anything
    /// (<see cref="TrustedProxies"/>).
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
