using System.Net;
using Microsoft.Net.Http.Headers;

namespace ChatPulse.Api.Platform;

/// <summary>
/// Problem details as a small readable page for browsers (a request that accepts <c>text/html</c>), so a person
/// who hits an error sees where to go next. API, webhook and socket routes always get RFC 7807 JSON.
/// </summary>
internal sealed class HtmlProblemWriter : IProblemDetailsWriter
{
    private static readonly string[] MachineRoutes = ["/api", "/webhooks", "/ws", "/health", "/metrics"];

    public bool CanWrite(ProblemDetailsContext context)
    {
        var request = context.HttpContext.Request;
        if (MachineRoutes.Any(prefix => request.Path.StartsWithSegments(prefix)))
        {
            return false;
        }

        var accept = request.GetTypedHeaders().Accept;
        return accept.Any(value => value.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
    }

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var response = context.HttpContext.Response;
        var status = problem.Status ?? response.StatusCode;
        var title = WebUtility.HtmlEncode(problem.Title ?? ReasonPhrase(status));
        var detail = WebUtility.HtmlEncode(problem.Detail ?? "Something went wrong on our side. Please try again in a moment.");
        var correlation = WebUtility.HtmlEncode(CorrelationIdMiddleware.Of(context.HttpContext));
        response.ContentType = "text/html; charset=utf-8";
        response.Headers[HeaderNames.CacheControl] = "no-store";
        return new ValueTask(response.WriteAsync(
            $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title} · ChatPulse</title><link rel="stylesheet" href="/assets/site.css"></head>
            <body><main class="narrow"><section class="card">
            <h1>{title}</h1><p>{detail}</p>
            <p><a class="button" href="/">Back to ChatPulse</a></p>
            <p class="muted small">Error {status} · reference <code>{correlation}</code></p>
            </section></main></body></html>
            """));
    }

    private static string ReasonPhrase(int status) => status switch
    {
        404 => "Page not found",
        400 => "Bad request",
        403 => "Not allowed",
        429 => "Too many requests",
        _ when status >= 500 => "Something went wrong",
        _ => "Request failed",
    };
}
