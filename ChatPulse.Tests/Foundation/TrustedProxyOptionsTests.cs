using ChatPulse.Api.Infrastructure.Settings;
using ChatPulse.Api.Platform;
using ChatPulse.Tests.Deployment.Support;
using ChatPulse.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatPulse.Tests.Foundation;

/// <summary>
/// The framework's forwarded-headers middleware over the options the API's host ends up with when the environment
/// asks for more (ASPNETCORE_FORWARDEDHEADERS_ENABLED=true, a KnownIPNetworks list of its own): only TRUSTED_PROXIES
/// count. Here for the shipped k8s/configmap.yaml ranges, whose members this machine cannot connect from (the
/// real-process tests over loopback: TrustedProxyTests).
/// </summary>
public sealed class TrustedProxyOptionsTests
{
    [Theory]
    [InlineData("shipped", "10.42.0.17", "203.0.113.9")] // an ingress pod: its client is believed
    [InlineData("shipped", "192.168.3.4", "203.0.113.9")]
    [InlineData("shipped", "127.0.0.1", "127.0.0.1")] // outside the ranges: the connection's own address
    [InlineData("shipped", "198.51.100.7", "198.51.100.7")]
    [InlineData("", "198.51.100.7", "198.51.100.7")] // nobody trusted: nobody believed
    [InlineData("", "10.42.0.17", "10.42.0.17")]
    public async Task Only_trusted_proxies_name_the_client_whatever_the_environment_asks(string trustedProxies, string sender, string expected)
    {
        var settings = ApiServices.ProductionSettings();
        settings["TRUSTED_PROXIES"] = trustedProxies == "shipped" ? KubernetesLayer.ShippedTrustedProxies() : "";
        settings["ForwardedHeaders_Enabled"] = "true"; // ASPNETCORE_FORWARDEDHEADERS_ENABLED, as the host reads it
        settings["ForwardedHeaders_KnownIPNetworks"] = "0.0.0.0/0"; // read by later framework versions
        settings["ForwardedHeaders_Headers"] = "All";
        var builder = ApiServices.WebBuilder(settings);
        using (var hostDefaults = builder.Services.BuildServiceProvider())
        {
            // The host's own setup read the variable: no trust lists (by default it trusts loopback), so every sender.
            var asked = hostDefaults.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
            Assert.True(asked.ForwardedHeaders.HasFlag(ForwardedHeaders.XForwardedFor));
            Assert.Empty(asked.KnownIPNetworks);
            Assert.Empty(asked.KnownProxies);
        }

        builder.AddWebPlatform();
        await using var services = builder.Services.BuildServiceProvider();
        var middleware = new ForwardedHeadersMiddleware(_ => Task.CompletedTask, NullLoggerFactory.Instance,
            services.GetRequiredService<IOptions<ForwardedHeadersOptions>>());
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(sender);
        context.Request.Headers["X-Forwarded-For"] = "203.0.113.9";
        context.Request.Headers["X-Forwarded-Host"] = "evil.example";

        await middleware.Invoke(context);

        Assert.Equal(expected, context.Connection.RemoteIpAddress.ToString());
        Assert.NotEqual("evil.example", context.Request.Host.Value);
    }
}
