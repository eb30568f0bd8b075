using ChatPulse.Api.Infrastructure.Telemetry;
using ChatPulse.Api.Streamers;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace ChatPulse.Tests.Support;

/// <summary>A <see cref="ChannelDirectory"/> wired by hand as <c>AddStreamers</c> wires it: HybridCache over one memory cache.</summary>
public static class ChannelDirectories
{
    public static ChannelDirectory Create(StreamerStore store, ChatPulseMetrics metrics, StreamerEvents events)
    {
        var services = new ServiceCollection().AddMemoryCache();
        services.AddHybridCache();
        var provider = services.BuildServiceProvider();
        return new ChannelDirectory(store, provider.GetRequiredService<HybridCache>(), provider.GetRequiredService<IMemoryCache>(), metrics, events);
    }
}
