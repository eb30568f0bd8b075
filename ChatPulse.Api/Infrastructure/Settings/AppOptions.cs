using System.Net;

namespace ChatPulse.Api.Infrastructure.Settings;

/// <summary>Process-wide settings: APP_ENV, MAX_WEBSOCKET_CONNECTIONS, SHUTDOWN_TIMEOUT, LOG_FORMAT, TRUSTED_PROXIES.</summary>
public sealed class AppOptions
{
    public const string Section = "App";

    public string Environment { get; set; } = "development";

    public int MaxWebSocketConnections { get; set; } = 10_000;

    /// <summary>MAX_OVERLAY_SOCKETS_PER_ID: sockets one overlay id may hold on a replica (OBS scenes, previews).</summary>
    public int MaxOverlaySocketsPerId { get; set; } = 20;

    /// <summary>MAX_OVERLAY_SOCKETS_PER_CLIENT: sockets one client address may hold on a replica, whatever the ids.</summary>
    public int MaxOverlaySocketsPerClient { get; set; } = 50;

    public string ShutdownTimeout { get; set; } = "30s";

    public string LogFormat { get; set; } = "text";

    /// <summary>
    /// Comma-separated addresses or CIDR ranges of the proxies in front of the API (the ingress controller's pods),
    /// whose <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c> are believed. Empty: nobody's are.
    /// </summary>
    public string TrustedProxies { get; set; } = "";

    /// <summary><see cref="TrustedProxies"/> parsed; a bare address is a one-address network.</summary>
    public IReadOnlyList<IPNetwork> TrustedProxyNetworks => ParseNetworks(TrustedProxies, out _);

    public bool IsProduction => string.Equals(Environment, "production", StringComparison.OrdinalIgnoreCase);

    public TimeSpan ShutdownTimeoutValue => Durations.TryParse(ShutdownTimeout, out var value) ? value : TimeSpan.FromSeconds(30);

    internal static List<IPNetwork> ParseNetworks(string list, out string? invalid)
    {
        invalid = null;
        var networks = new List<IPNetwork>();
        foreach (var entry in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                networks.Add(new IPNetwork(address, address.GetAddressBytes().Length * 8));
            }
            else
            {
                invalid ??= entry;
            }
        }

        return networks;
    }
}

internal sealed class AppOptionsValidator : IValidateOptions<AppOptions>
{
    private static readonly string[] Environments = ["development", "test", "staging", "production"];

    public ValidateOptionsResult Validate(string? name, AppOptions options)
    {
        var errors = new List<string>();
        if (!Environments.Contains(options.Environment, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"APP_ENV: must be one of {string.Join(", ", Environments)} (was '{options.Environment}')");
        }

        if (options.MaxWebSocketConnections < 1)
        {
            errors.Add($"MAX_WEBSOCKET_CONNECTIONS: must be a positive whole number (was {options.MaxWebSocketConnections})");
        }

        if (options.MaxOverlaySocketsPerId < 1)
        {
            errors.Add($"MAX_OVERLAY_SOCKETS_PER_ID: must be a positive whole number (was {options.MaxOverlaySocketsPerId})");
        }

        if (options.MaxOverlaySocketsPerClient < 1)
        {
            errors.Add($"MAX_OVERLAY_SOCKETS_PER_CLIENT: must be a positive whole number (was {options.MaxOverlaySocketsPerClient})");
        }

        if (!Durations.TryParse(options.ShutdownTimeout, out var timeout) || timeout <= TimeSpan.Zero || timeout > TimeSpan.FromMinutes(10))
        {
            errors.Add($"SHUTDOWN_TIMEOUT: must be a duration between 1s and 10m, e.g. 30s (was '{options.ShutdownTimeout}')");
        }

        if (options.LogFormat is not ("text" or "json"))
        {
            errors.Add($"LOG_FORMAT: must be text or json (was '{options.LogFormat}')");
        }

        AppOptions.ParseNetworks(options.TrustedProxies, out var invalid);
        if (invalid is not null)
        {
            errors.Add($"TRUSTED_PROXIES: must be comma-separated IP addresses or CIDR ranges, e.g. 10.0.0.0/8 (was '{invalid}')");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
