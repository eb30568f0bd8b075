namespace ChatPulse.AppHost;

/// <summary>Named links in the Aspire dashboard, so a developer lands on the page they want from the resource list.</summary>
public static class DashboardLinks
{
    public const string ChatPage = "Chat: say as a viewer";
    public const string StreamerDashboard = "Streamer dashboard";
    public const string Metrics = "Metrics (Prometheus)";
    public const string Readiness = "Readiness";

    /// <summary>The stand-in's chat page, where a developer types as a viewer.</summary>
    public static IResourceBuilder<ProjectResource> WithStandInLinks(this IResourceBuilder<ProjectResource> standIn) =>
        standIn.WithUrlForEndpoint("http", url => url.DisplayText = "Twitch stand-in")
            .WithUrlForEndpoint("http", _ => new ResourceUrlAnnotation { Url = "/chat", DisplayText = ChatPage });

    /// <summary>The streamer dashboard first; the scrape endpoint and readiness in the resource's details.</summary>
    public static IResourceBuilder<ProjectResource> WithApiLinks(this IResourceBuilder<ProjectResource> api) =>
        api.WithUrlForEndpoint("http", url => url.DisplayText = "API")
            .WithUrlForEndpoint("http", _ => new ResourceUrlAnnotation { Url = "/dashboard", DisplayText = StreamerDashboard })
            .WithUrlForEndpoint("http", _ => new ResourceUrlAnnotation { Url = "/metrics", DisplayText = Metrics, DisplayLocation = UrlDisplayLocation.DetailsOnly })
            .WithUrlForEndpoint("http", _ => new ResourceUrlAnnotation { Url = "/health/ready", DisplayText = Readiness, DisplayLocation = UrlDisplayLocation.DetailsOnly });
}
