using ChatPulse.Api.Platform;
using OpenTelemetry.Metrics;

namespace ChatPulse.Api.Infrastructure.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>
    /// Every ChatPulse metric, registered once: the ChatPulse meter's instruments (<see cref="ChatPulseMetrics"/>) and
    /// the HTTP request metrics the deployment guide's queries read (<see cref="HttpMetrics"/>).
    /// </summary>
    public static IHostApplicationBuilder AddChatPulseTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ChatPulseMetrics>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(ChatPulseMetrics.MeterName));
        builder.Services.AddHttpMetrics();
        return builder;
    }
}
