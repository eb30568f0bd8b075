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
    public OverlayPage()
    {
        var style = Read("overlay.css");
        var script = Read("overlay.js");
        Live = Read("overlay.html").Replace("{{STYLE}}", style, StringComparison.Ordinal).Replace("{{SCRIPT}}", script, StringComparison.Ordinal);
        BadRequest = Notice(style, "This is not a valid overlay URL. Copy it from the ChatPulse dashboard.");
        NotFound = Notice(style, "This overlay URL is no longer valid. Copy the current one from the ChatPulse dashboard.");
        ContentSecurityPolicy = string.Join("; ",
            "default-src 'none'",
            $"style-src {Hash(style)}",
            $"script-src {Hash(script)}",
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors *");
    }

    /// <summary>The live overlay; it reads its id from its own path.</summary>
    public string Live { get; }

    public string BadRequest { get; }

    public string NotFound { get; }

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

    private static string Notice(string style, string text) =>
        $"""
        <!doctype html>
        <html lang="en" data-connection="gone">
        <head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><title>ChatPulse overlay</title><style>{style}</style></head>
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
