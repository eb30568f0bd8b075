namespace ChatPulse.Api.Overlay;

/// <summary>
/// Which pages may open an overlay socket. The socket carries no cookie and no ambient authority (the secret id
/// in the path is the only credential, and it is read-only), so Origin guards bandwidth, not data: allowed are
/// clients that send no Origin (OBS, websocat, native tools) and our own page, wherever it is embedded (its
/// socket's Origin is still ours). Refused: other sites' scripts, and the opaque "null" origin.
/// </summary>
internal static class OriginPolicy
{
    public static bool Allows(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }

        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri))
        {
            return false;
        }

        // The host the browser used: behind a proxy that rewrites Host, the one it forwarded.
        var forwardedHost = request.Headers["X-Forwarded-Host"].ToString().Split(',')[0].Trim();
        return SameHost(uri, request.Host.Host) || (forwardedHost.Length > 0 && SameHost(uri, HostString.FromUriComponent(forwardedHost).Host));
    }

    private static bool SameHost(Uri origin, string host) => string.Equals(origin.Host, host, StringComparison.OrdinalIgnoreCase);
}
