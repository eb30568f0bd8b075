using ChatPulse.Api.Accounts;
using ChatPulse.Api.Dashboard;
using ChatPulse.Api.Infrastructure;
using ChatPulse.Api.Infrastructure.Settings;
using ChatPulse.Api.Infrastructure.Telemetry;
using ChatPulse.Api.Overlay;
using ChatPulse.Api.Platform;
using ChatPulse.Api.Polls;
using ChatPulse.Api.Streamers;
using ChatPulse.Api.Timeline;
using ChatPulse.Api.Twitch;
using ChatPulse.Api.Twitch.EventSub;
using ChatPulse.Api.Votes;
using ChatPulse.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ChatPulse.Tests.Foundation;

/// <summary>Program.cs's feature registrations do not depend on the order of the <c>Add…</c> calls.</summary>
public sealed class RegistrationOrderTests
{
    /// <summary>Program.cs's <c>Add…</c> calls after <c>AddServiceDefaults</c>, in Program.cs's order.</summary>
    private static readonly Action<IHostApplicationBuilder>[] Features =
    [
        b => b.AddChatPulseSettings(),
        b => b.AddGracefulShutdown(),
        b => b.AddChatPulseTelemetry(),
        b => b.AddChatPulseData(),
        b => b.AddWebPlatform(),
        b => b.AddStreamers(),
        b => b.AddVotes(),
        b => b.AddPolls(),
        b => b.AddTwitch(),
        b => b.AddAccounts(),
        b => b.AddDashboard(),
        b => b.AddOverlay(),
        b => b.AddTimeline(),
    ];

    [Fact]
    public void Reversed_the_feature_calls_register_the_same_services_and_the_same_one_wins_for_each()
    {
        var programOrder = Registrations(Features);
        var reversed = Registrations([.. Features.Reverse()]);

        Assert.Equal(programOrder.All, reversed.All);
        Assert.Equal(programOrder.Winners, reversed.Winners);
    }

    [Fact]
    public void In_either_order_every_registration_can_be_built_and_the_key_services_are_the_features_own()
    {
        foreach (var order in new[] { Features, [.. Features.Reverse()] })
        {
            var registrations = Build(order).Services;
            // ValidateOnBuild checks every registration's dependencies without opening a connection.
            using var services = registrations.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

            // One registration each, the feature's own: no fallback left for an order to pick.
            Assert.Equal("WindowSentimentSource", Assert.Single(registrations, d => d.ServiceType == typeof(ISentimentSource)).ImplementationType?.Name);
            Assert.Single(registrations, d => d.ServiceType == typeof(IRevocationHandler));
            Assert.Single(registrations, d => d.ServiceType == typeof(OverlayPresence));
            Assert.Single(registrations, d => d.ServiceType == typeof(ChatPulseMetrics));
            Assert.Same(TimeProvider.System, services.GetRequiredService<TimeProvider>());
            Assert.NotNull(services.GetRequiredService<ChatPulseMetrics>());
            Assert.NotNull(services.GetRequiredService<ReplicaIdentity>());
        }
    }

    private static WebApplicationBuilder Build(IEnumerable<Action<IHostApplicationBuilder>> features)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(ApiServices.ValidGuideSettings().Where(kv => kv.Value is { Length: > 0 }));
        builder.AddServiceDefaults();
        foreach (var add in features)
        {
            add(builder);
        }

        return builder;
    }

    /// <summary>
    /// ChatPulse's registrations (service, key, lifetime, implementation), and per ChatPulse service the one a single
    /// resolve returns. The framework's own (its TryAdds inside AddAuthentication, AddRateLimiter…) are its business.
    /// </summary>
    private static (List<string> All, List<string> Winners) Registrations(IEnumerable<Action<IHostApplicationBuilder>> features)
    {
        var descriptors = Build(features).Services.Where(d => d.ServiceType == typeof(TimeProvider) || Describe(d).Contains("ChatPulse", StringComparison.Ordinal)).ToList();
        var all = descriptors.Select(Describe).Order(StringComparer.Ordinal).ToList();
        // ChatPulse's own services (and the clock) are resolved one at a time: the last registration is the one in use.
        var winners = descriptors.Where(d => d.ServiceType == typeof(TimeProvider) || d.ServiceType.Namespace?.StartsWith("ChatPulse", StringComparison.Ordinal) == true)
            .GroupBy(d => (d.ServiceType, d.ServiceKey)).Select(g => Describe(g.Last())).Order(StringComparer.Ordinal).ToList();
        return (all, winners);
    }

    private static string Describe(ServiceDescriptor d)
    {
        var implementation = d.IsKeyedService
            ? d.KeyedImplementationType?.FullName ?? d.KeyedImplementationInstance?.GetType().FullName ?? d.KeyedImplementationFactory?.Method.ToString()
            : d.ImplementationType?.FullName ?? d.ImplementationInstance?.GetType().FullName
                ?? $"{d.ImplementationFactory?.Method.DeclaringType?.FullName}.{d.ImplementationFactory?.Method}";
        return $"{d.ServiceType.FullName} [{d.ServiceKey}] {d.Lifetime} {implementation}";
    }
}
