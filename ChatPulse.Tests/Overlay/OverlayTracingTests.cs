using System.Diagnostics;
using ChatPulse.Api.Overlay;
using ChatPulse.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace ChatPulse.Tests.Overlay;

/// <summary>The overlay id is the overlay's credential: the service defaults' tracing with the overlay's rules never records it.</summary>
public sealed class OverlayTracingTests
{
    [Fact]
    public async Task Overlay_page_spans_record_the_route_and_socket_requests_leave_no_span_so_no_overlay_id_reaches_traces()
    {
        var spans = new List<Activity>();
        await using var app = await ApiServices.StartWebAsync(
            services => services.AddOverlayTracing().ConfigureOpenTelemetryTracerProvider(tracing => tracing
                .SetSampler(new AlwaysOnSampler()) // the defaults record nothing without an OTLP endpoint
                .AddInMemoryExporter(spans)),
            web =>
            {
                web.MapGet(OverlayEndpoints.PageRoute, (string overlayId) => "page");
                web.MapGet(OverlaySocketMiddleware.Route, (string overlayId) => "socket");
                web.MapGet("/hello", () => "hello");
            });
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = Waits.Short };
        var overlayId = Guid.NewGuid().ToString();

        foreach (var path in new[] { $"/overlay/{overlayId}", $"/ws/overlay/{overlayId}", $"/overlay/{overlayId}/extra", "/hello" })
        {
            using var response = await client.GetAsync(path);
        }

        // The last request's span ends after the others'; ToArray copies while the exporter may still add.
        Activity[] Server() => [.. spans.ToArray().Where(s => s.Kind == ActivityKind.Server)];
        await Waits.Until(() => Task.FromResult(Server().Any(s => s.GetTagItem("url.path") as string == "/hello")), Waits.Short, "the last request's span");

        var page = Assert.Single(Server(), s => s.GetTagItem("http.route") as string == OverlayEndpoints.PageRoute);
        Assert.Equal(OverlayEndpoints.PageRoute, page.GetTagItem("url.path"));
        Assert.Equal(3, Server().Length); // the page, the unrouted overlay path, /hello: no socket span
        Assert.All(Server(), span =>
        {
            Assert.DoesNotContain(overlayId, span.DisplayName);
            Assert.DoesNotContain(span.TagObjects, tag => tag.Value?.ToString()?.Contains(overlayId) == true);
        });
    }
}
