using System.Diagnostics;
using System.Diagnostics.Metrics;
using ChatPulse.Api.Infrastructure.Telemetry;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using OpenTelemetry.Metrics;

namespace ChatPulse.Api.Platform;

/// <summary>
/// The names the deployment guide's PromQL uses, on top of OpenTelemetry: <c>http_request_duration_seconds</c> is a
/// second view of ASP.NET Core's own <c>http.server.request.duration</c> (which stays, unrenamed), <c>http_requests_total</c> counts the same requests,
/// and both carry a <c>status</c> label (the response code) next to <c>http_request_method</c> and <c>http_route</c>.
/// <c>websocket_connections_current</c> is the ChatPulse meter's gauge.
/// </summary>
public static class HttpMetrics
{
    public const string MeterName = "ChatPulse.Http";

    /// <summary>ASP.NET Core's request histogram (unit s); the Prometheus exporter appends <c>_seconds</c> to the view's name.</summary>
    private const string AspNetCoreRequestDuration = "http.server.request.duration";

    private const string MethodTag = "http.request.method";
    private const string RouteTag = "http.route";
    private const string StatusTag = "status";
    private const string ErrorTag = "error.type";

    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT"];

    /// <summary>The request counter and the duration view; called by <see cref="TelemetryExtensions.AddChatPulseTelemetry"/>.</summary>
    internal static IServiceCollection AddHttpMetrics(this IServiceCollection services)
    {
        services.AddSingleton<RequestCounter>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(MeterName)
            // A view that matches replaces the instrument's own stream, so the standard one is kept by a view of its
            // own: OTLP and the Aspire dashboard keep http.server.request.duration, Prometheus gets both names.
            .AddView(AspNetCoreRequestDuration, new MetricStreamConfiguration())
            .AddView(AspNetCoreRequestDuration, new MetricStreamConfiguration
            {
                Name = "http.request.duration",
                // Bounded labels only: no URL, no scheme or protocol version.
                TagKeys = [MethodTag, RouteTag, StatusTag, ErrorTag],
            }));
        return services;
    }

    /// <summary>Tags every request with its status and counts it; runs first so it sees every response.</summary>
    public static WebApplication UseHttpMetrics(this WebApplication app)
    {
        // Created now so websocket_connections_current is exported (as 0) before the first overlay connects.
        app.Services.GetRequiredService<ChatPulseMetrics>();

        var counter = app.Services.GetRequiredService<RequestCounter>();
        app.Use(async (context, next) =>
        {
            var failed = false;
            try
            {
                await next(context);
            }
            catch
            {
                failed = true;
                throw;
            }
            finally
            {
                counter.Record(context, failed);
            }
        });
        return app;
    }

    private sealed class RequestCounter : IDisposable
    {
        private readonly Meter _meter;
        private readonly Counter<long> _requests;

        public RequestCounter(IMeterFactory meterFactory)
        {
            _meter = meterFactory.Create(MeterName);
            _requests = _meter.CreateCounter<long>("http.requests", description: "HTTP requests served, by method, route and status.");
        }

        public void Record(HttpContext context, bool failed)
        {
            // The exception reaches the server, which answers 500 whatever the response said so far.
            var status = failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            var statusText = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            // Read by ASP.NET Core when it records the histogram, after the whole pipeline.
            context.Features.Get<IHttpMetricsTagsFeature>()?.Tags.Add(new(StatusTag, statusText));
            var endpoint = context.GetEndpoint();
            if (endpoint?.Metadata.GetMetadata<IDisableHttpMetricsMetadata>() is not null)
            {
                return; // probes and scrapes, as for the histogram
            }

            var tags = new TagList
            {
                { MethodTag, Methods.Contains(context.Request.Method) ? context.Request.Method : "_OTHER" },
                { StatusTag, statusText },
            };
            if (RouteOf(endpoint) is { } route)
            {
                tags.Add(RouteTag, route);
            }

            _requests.Add(1, tags);
        }

        private static string? RouteOf(Endpoint? endpoint) =>
            endpoint?.Metadata.GetMetadata<IRouteDiagnosticsMetadata>()?.Route
            ?? (endpoint as RouteEndpoint)?.RoutePattern.RawText;

        public void Dispose() => _meter.Dispose();
    }
}
