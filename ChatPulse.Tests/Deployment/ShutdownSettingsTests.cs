using ChatPulse.Api.Infrastructure.Settings;
using ChatPulse.Api.Platform;
using ChatPulse.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatPulse.Tests.Deployment;

/// <summary>SHUTDOWN_TIMEOUT bounds the whole stop: the host's timeout, and the drain inside it.</summary>
public sealed class ShutdownSettingsTests
{
    [Theory]
    [InlineData("7s", 7)]
    [InlineData("45", 45)]
    public void Shutdown_timeout_becomes_the_hosts_shutdown_timeout(string setting, int seconds)
    {
        var settings = ApiServices.ValidGuideSettings();
        settings["SHUTDOWN_TIMEOUT"] = setting;
        var builder = ApiServices.Builder(settings);
        builder.AddGracefulShutdown();

        using var services = builder.Services.BuildServiceProvider();

        Assert.Equal(TimeSpan.FromSeconds(seconds), services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    [Theory]
    [InlineData(30, 5)]
    [InlineData(8, 2)]
    [InlineData(1, 0.25)]
    public void Drain_is_five_seconds_at_most_a_quarter_of_the_timeout(int timeout, double drain)
    {
        Assert.Equal(TimeSpan.FromSeconds(drain), GracefulShutdown.DrainDelay(TimeSpan.FromSeconds(timeout)));
    }
}
