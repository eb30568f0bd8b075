using System.Diagnostics;
using ChatPulse.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace ChatPulse.Tests.Foundation;

/// <summary>The service defaults on their own, in a small app: what is traced, and the start-up probe's budget.</summary>
public sealed class ServiceDefaultsTests
{
    [Fact]
    public async Task Probes_and_scrapes_are_left_out_of_traces_and_requests_are_not()
    {
        var spans = new List<Activity>();
        await using var app = await StartAsync(services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing
            .SetSampler(new AlwaysOnSampler()) // the defaults record nothing without an OTLP endpoint
            .AddInMemoryExporter(spans)));
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = Waits.Short };

        foreach (var path in new[] { "/health/live", "/health/ready", "/health/startup", "/metrics", "/hello" })
        {
            using var response = await client.GetAsync(path);
            response.EnsureSuccessStatusCode();
        }

        // A server span ends just after its response went out; the last request's ends after the probes' did.
        // ToArray copies without enumerating: the exporter may be adding a span as the test reads.
        string[] ServerPaths() => [.. spans.ToArray().Where(s => s.Kind == ActivityKind.Server).Select(s => s.GetTagItem("url.path") as string ?? "")];

        await Waits.Until(() => Task.FromResult(ServerPaths().Contains("/hello")), Waits.Short, "the request's span");
        Assert.Equal(["/hello"], ServerPaths());
    }

    [Fact]
    public async Task A_startup_probe_whose_check_hangs_answers_503_after_its_budget()
    {
        await using var app = await StartAsync(services => services.AddHealthChecks().AddAsyncCheck("hangs", async cancellation =>
        {
            await Task.Delay(Timeout.Infinite, cancellation);
            return HealthCheckResult.Healthy();
        }, [Extensions.ReadyTag]));
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = Waits.Short };

        using var startup = await client.GetAsync(Extensions.StartupPath); // without the budget: the client's timeout

        Assert.Equal(HttpStatusCode.ServiceUnavailable, startup.StatusCode);
    }

    private static Task<WebApplication> StartAsync(Action<IServiceCollection> configure) => ApiServices.StartWebAsync(configure, app =>
    {
        app.MapDefaultEndpoints();
        app.MapGet("/hello", () => "hello");
    });
}
