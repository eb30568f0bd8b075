namespace ChatPulse.Api.Timeline;

public static class TimelineExtensions
{
    /// <summary>The mood timeline: the vote path's counter, the recorder that writes points, retention, the store behind the chart and the export.</summary>
    public static IHostApplicationBuilder AddTimeline(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TimelineActivity>();
        builder.Services.AddSingleton<TimelineStore>();
        builder.Services.AddHostedService<TimelineRecorder>();
        builder.Services.AddHostedService<TimelineRetention>();
        return builder;
    }

    /// <summary><c>GET /api/dashboard/timeline</c> (the export); the chart is the dashboard's view component (<see cref="TimelineViewComponent"/>).</summary>
    public static IEndpointRouteBuilder MapTimeline(this IEndpointRouteBuilder app) => app.MapTimelineExport();
}
