using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace ChatPulse.Api.Overlay;

/// <summary>
/// The OBS page, built once at start-up: the HTML template with its CSS and script inlined, so the page is one
/// self-contained response with nothing to fetch (no CDN, no web font). The CSP allows exactly those inline
/// blocks by hash, a socket to this origin, and embedding anywhere.
/// </summary>
internal sealed class OverlayPage
{
    public const string ContentType = "text/html; charset=utf-8";

    /// <summary>A notice of a passing condition reloads itself after this long (OBS shows the page as it is, forever).</summary>
    public const int RetrySeconds = 15;

    public OverlayPage()
    {
        var style = Read("overlay.css");
        // One inline block: the look, the poll over the mood bar, then the socket.
        var script = string.Join("\n", Read("overlay-look.js"), Read("overlay-poll.js"), Read("overlay.js"));
        Live = Read("overlay.html").Replace("{{STYLE}}", style, StringComparison.Ordinal).Replace("{{SCRIPT}}", script, StringComparison.Ordinal);
        BadRequest = Notice(style, "This is not a valid overlay URL. Copy it from the ChatPulse dashboard.");
        NotFound = Notice(style, "This overlay URL is no longer valid. Copy the current one from the ChatPulse dashboard.");
        Unavailable = Notice(style, "ChatPulse is briefly unavailable. This overlay reloads by itself.", RetrySeconds);
        TooManyRequests = Notice(style, "Too many overlay requests from this address. This overlay reloads by itself.", RetrySeconds);
        ContentSecurityPolicy = string.Join("; ",
            "default-src 'none'",
            $"style-src {Hash(style)}",
            $"script-src {Hash(script)}",
            "connect-src 'self'",
            "img-src 'self'", // the favicon
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors *");
    }

    /// <summary>The live overlay; it reads its id from its own path.</summary>
    public string Live { get; }

    public string BadRequest { get; }

    public string NotFound { get; }

    /// <summary>503: what the page needs (Postgres) does not answer now.</summary>
    public string Unavailable { get; }

    /// <summary>429: this client address asked for overlay pages too often.</summary>
    public string TooManyRequests { get; }

    public string ContentSecurityPolicy { get; }

    /// <summary>
    /// The overlay's own headers. CSP and framing (no X-Frame-Options) come from the endpoint's
    /// <c>AllowEmbedding(ContentSecurityPolicy)</c> through the site-wide security headers.
    /// </summary>
    public static void ApplyHeaders(HttpResponse response)
    {
        response.Headers["Referrer-Policy"] = "no-referrer"; // the URL is the secret
        response.Headers.CacheControl = "no-store";
    }

    private static string Notice(string style, string text, int? reloadSeconds = null)
    {
        var (connection, reload) = reloadSeconds is { } seconds
            ? ("reconnecting", $"""<meta http-equiv="refresh" content="{seconds}">""")
            : ("gone", "");
        return Notice(style, text, connection, reload);
    }

    private static string Notice(string style, string text, string connection, string reload) =>
        $"""
        <!doctype html>
        <html lang="en" data-connection="{connection}">
        <head><meta charset="utf-8"><meta name="referrer" content="no-referrer">{reload}<title>ChatPulse overlay</title><style>{style}</style></head>
        <body><p class="notice">{WebUtility.HtmlEncode(text)}</p></body>
        </html>
        """;

    private static string Hash(string inlineBlock) =>
        $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(inlineBlock)))}'";

    private static string Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"overlay/{name}")
            ?? throw new InvalidOperationException($"The overlay page resource {name} is not embedded.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
