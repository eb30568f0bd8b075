namespace ChatPulse.Api.Timeline;

public static class TimelineExtensions
{
    /// <summary>The mood timeline: the vote path's counter, the recorder that writes points, retention, the store behind the chart and the export
    /// (mapped with the dashboard's API, <see cref="TimelineExport"/>; the chart is <see cref="TimelineViewComponent"/>).</summary>
    public static IHostApplicationBuilder AddTimeline(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TimelineActivity>();
        builder.Services.AddSingleton<TimelineStore>();
        builder.Services.AddHostedService<TimelineRecorder>();
        builder.Services.AddHostedService<TimelineRetention>();
        return builder;
    }
}
