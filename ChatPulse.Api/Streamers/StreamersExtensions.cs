namespace ChatPulse.Api.Streamers;

public static class StreamersExtensions
{
    /// <summary>Streamers, their configurations, the cached channel directory and cross-replica events.</summary>
    public static IHostApplicationBuilder AddStreamers(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMemoryCache();
        builder.Services.AddHybridCache();
        builder.Services.AddSingleton<StreamerStore>();
        builder.Services.AddSingleton<StreamerEvents>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StreamerEvents>());
        builder.Services.AddSingleton<ChannelDirectory>();
        return builder;
    }
}
