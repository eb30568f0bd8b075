using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ChatPulse.Api.Platform;

/// <summary>
/// One id per request: the caller's <c>X-Correlation-ID</c> when well-formed (1–64 of <c>A–Z a–z 0–9 . _ -</c>),
/// else the request's trace id. Echoed in the response and held in a logging scope, so every log line of the
/// request carries it, with the client address (<c>ClientAddress</c>: the connection's, or the one trusted proxies
/// forward).
/// </summary>
public sealed partial class CorrelationIdMiddleware(RequestDelegate next, ILogger<CorrelationIdMiddleware> logger)
{
    public const string HeaderName = "X-Correlation-ID";
    public const string ScopeKey = "CorrelationId";
    public const string ClientAddressKey = "ClientAddress";

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex WellFormed();

    public async Task InvokeAsync(HttpContext context)
    {
        var id = Assign(context);
        using (logger.BeginScope(new[]
        {
            new KeyValuePair<string, object?>(ScopeKey, id),
            new KeyValuePair<string, object?>(ClientAddressKey, context.Connection.RemoteIpAddress), // formatted only if logged
        }))
        {
            await next(context);
        }
    }

    /// <summary>
    /// Gives the request its id (echoed in the response, read by <see cref="Of"/>) without the logging scope: for
    /// requests answered before this middleware runs, such as a refused overlay socket.
    /// </summary>
    public static string Assign(HttpContext context)
    {
        var id = Read(context);
        context.Items[typeof(CorrelationIdMiddleware)] = id;
        // Set at response start: the exception handler clears headers before it writes its answer.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[HeaderName] = id;
            return Task.CompletedTask;
        });
        Activity.Current?.SetTag("correlation.id", id);
        return id;
    }

    /// <summary>The current request's correlation id ("" outside a request that went through the middleware).</summary>
    public static string Of(HttpContext context) =>
        context.Items.TryGetValue(typeof(CorrelationIdMiddleware), out var id) && id is string value ? value : "";

    /// <summary>
    /// A generated id is the request's W3C trace id, so a log line and its trace share it; it is random already,
    /// and costs no system call (a new <see cref="Guid"/> is one on Linux, on every webhook delivery).
    /// </summary>
    private static string Read(HttpContext context)
    {
        var given = context.Request.Headers[HeaderName];
        if (given.Count == 1 && given[0] is { Length: > 0 } id && WellFormed().IsMatch(id))
        {
            return id;
        }

        return (Activity.Current?.TraceId ?? ActivityTraceId.CreateRandom()).ToHexString();
    }
}
