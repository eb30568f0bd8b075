using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Aspire service defaults: OpenTelemetry (OTLP when configured, Prometheus scraping at /metrics), health probes,
/// service discovery and HttpClient resilience. Generic on purpose; nothing here knows about ChatPulse.
/// </summary>
public static class Extensions
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    public const string StartupPath = "/health/startup";
    public const string MetricsPath = "/metrics";

    /// <summary>Tag for health checks that gate readiness (and so start-up).</summary>
    public const string ReadyTag = "ready";

    /// <summary>Time budget for the start-up probe (the deployment guide's probe timeout is 2 s).</summary>
    public static readonly TimeSpan StartupProbeBudget = TimeSpan.FromSeconds(2);

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddRequestTimeouts();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                // Prometheus text format at /metrics, from the same instruments the OTLP exporter sends.
                .AddPrometheusExporter())
            .WithTracing(tracing =>
            {
                tracing.AddSource(builder.Environment.ApplicationName)
                    .AddAspNetCoreInstrumentation(options =>
                        // Probes and scrapes run every few seconds; tracing them would drown the real requests.
                        options.Filter = context => !context.Request.Path.StartsWithSegments("/health")
                            && !context.Request.Path.StartsWithSegments(MetricsPath))
                    .AddHttpClientInstrumentation();
                if (!HasOtlpEndpoint(builder))
                {
                    // Nowhere to send spans: record none, rather than build and drop one per request (a few
                    // microseconds each, on every webhook delivery). Metrics and logs are unaffected.
                    tracing.SetSampler(new AlwaysOffSampler());
                }
            });

        if (HasOtlpEndpoint(builder))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    private static bool HasOtlpEndpoint(IHostApplicationBuilder builder) =>
        !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // "self" is the only liveness check: liveness must never depend on Postgres or Redis.
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    /// <summary>
    /// Maps the deployment guide's probes and the Prometheus scrape endpoint in every environment: Kubernetes calls
    /// them in production. Probes and scrapes are kept out of the HTTP metrics: they are not traffic, and a readiness
    /// 503 while a replica drains is not an error.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseRequestTimeouts();

        app.MapHealthChecks(LivePath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("live"),
            ResponseWriter = WriteReport,
        }).DisableHttpMetrics();

        app.MapHealthChecks(ReadyPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteReport,
        }).DisableHttpMetrics();

        app.MapHealthChecks(StartupPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteReport,
        }).WithRequestTimeout(new RequestTimeoutPolicy { Timeout = StartupProbeBudget, TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable })
          .DisableHttpMetrics();

        app.MapPrometheusScrapingEndpoint(MetricsPath).DisableHttpMetrics();

        return app;
    }

    private static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    /// <summary>
    /// Writes a JSON body naming each check and its status, so a 503 says what failed. The body is public: an entry
    /// that carries an exception shows no description (the framework puts the exception's text there, with whatever
    /// host or port it names); checks log their failures instead.
    /// </summary>
    private static Task WriteReport(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            status = report.Status.ToString(),
            durationMs = (int)report.TotalDuration.TotalMilliseconds,
            failing = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => e.Key).ToArray(),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new
                {
                    status = e.Value.Status.ToString(),
                    description = e.Value.Exception is null ? e.Value.Description : null,
                    durationMs = (int)e.Value.Duration.TotalMilliseconds,
                }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, ReportJson, context.RequestAborted);
    }
}
