using ChatPulse.Tests.Deployment.Support;
using ChatPulse.Tests.Support;

namespace ChatPulse.Tests.Deployment;

/// <summary>/metrics serves what the deployment guide's PromQL queries, in Prometheus text format.</summary>
[Collection(AppHostCollection.Name)]
public sealed class MetricsTests(AppHostFixture fixture)
{
    [Fact]
    public async Task Metrics_expose_the_guides_names_with_the_labels_its_queries_use()
    {
        using (await fixture.Api.GetAsync("/version")) { }
        using (await fixture.Api.GetAsync("/no-such-page")) { }
        using (await fixture.Api.GetAsync("/health/ready")) { }

        string text = "";
        IReadOnlyList<PrometheusSample> samples = [];
        await Waits.Until(async () =>
        {
            using var response = await fixture.Api.GetAsync("/metrics");
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            text = await response.Content.ReadAsStringAsync();
            samples = PrometheusSample.Parse(text);
            return samples.Any(s => s.Name == "http_requests_total" && s.Labels.GetValueOrDefault("status") == "404");
        }, Waits.Short, "the requests to show in /metrics");

        // rate(http_requests_total{status=~"5.."}[5m]) and the request rate
        Assert.Contains(samples, s => s.Name == "http_requests_total" && s.Labels.GetValueOrDefault("status") == "200"
            && s.Labels.GetValueOrDefault("http_route") == "/version" && s.Labels.GetValueOrDefault("http_request_method") == "GET" && s.Value >= 1);
        // histogram_quantile(0.95, rate(http_request_duration_seconds_bucket[5m]))
        Assert.Contains(samples, s => s.Name == "http_request_duration_seconds_bucket" && s.Labels.ContainsKey("le")
            && s.Labels.GetValueOrDefault("status") == "200" && s.Labels.GetValueOrDefault("http_route") == "/version");
        // ASP.NET Core's standard instrument keeps its own name beside the guide's view of it (OTLP, Aspire dashboard).
        Assert.Contains(samples, s => s.Name == "http_server_request_duration_seconds_bucket" && s.Labels.ContainsKey("le")
            && s.Labels.GetValueOrDefault("http_route") == "/version");
        // sum(websocket_connections_current)
        Assert.Contains(samples, s => s.Name == "websocket_connections_current");

        var types = PrometheusSample.Types(text);
        Assert.Equal("counter", types["http_requests_total"]);
        Assert.Equal("histogram", types["http_request_duration_seconds"]);
        Assert.Equal("gauge", types["websocket_connections_current"]);
    }

    [Fact]
    public async Task EventSub_set_up_rounds_count_the_shard_state_for_the_shard_alert()
    {
        // The AppHost's API sets up its conduit against the stand-in, which enables the shard.
        await Waits.Until(async () =>
        {
            using var response = await fixture.Api.GetAsync("/metrics");
            var samples = PrometheusSample.Parse(await response.Content.ReadAsStringAsync());
            return samples.Any(s => s.Name == "chatpulse_eventsub_shard_checks_total" && s.Labels.GetValueOrDefault("result") == "enabled" && s.Value >= 1);
        }, Waits.AppStart, "a set-up round to count the enabled shard");
    }

    [Fact]
    public async Task Probes_and_scrapes_are_not_counted_as_traffic()
    {
        using (await fixture.Api.GetAsync("/health/ready")) { }
        using (await fixture.Api.GetAsync("/health/live")) { }
        using (await fixture.Api.GetAsync("/metrics")) { }

        using var response = await fixture.Api.GetAsync("/metrics");
        var samples = PrometheusSample.Parse(await response.Content.ReadAsStringAsync());

        // A readiness 503 while a replica drains must not show up in the guide's error rate.
        Assert.DoesNotContain(samples, s => s.Name.StartsWith("http_request", StringComparison.Ordinal)
            && (s.Labels.GetValueOrDefault("http_route")?.StartsWith("/health", StringComparison.Ordinal) == true
                || s.Labels.GetValueOrDefault("http_route") == "/metrics"));
    }
}
