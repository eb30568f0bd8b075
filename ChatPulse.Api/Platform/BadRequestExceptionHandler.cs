using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Net.Http.Headers;

namespace ChatPulse.Api.Platform;

/// <summary>
/// A request that is itself broken answers with its own status as problem details, logged once at Information without
/// a stack trace: a client's mistake, not ours. That is the framework's BadHttpRequestException (a malformed chunked
/// body, a body cut short, over the size limit or no longer arriving: 400, 408, 413), also wrapped by a reader, and
/// the three client faults the framework reports otherwise: a chunk size that overflows (400), a form antiforgery
/// cannot read (400), a UTF-7 charset (415). Every body the app reads (webhook, dashboard form, auth) ends up here.
/// </summary>
internal sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems, ILogger<BadRequestExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (ClientFault(httpContext.Request, exception) is not var (status, reason) || httpContext.Response.HasStarted)
        {
            return false;
        }

        LogBadRequest(logger, status, httpContext.Request.Method, LogText.Sanitize(httpContext.Request.Path.Value), LogText.Sanitize(reason));
        httpContext.Response.StatusCode = status;
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = status, Detail = "The request could not be read." },
            Exception = exception,
        });
        return true; // handled even when no writer suits the client's Accept header: the status alone answers then
    }

    /// <summary>The status for an exception the request itself caused, or null for one of ours.</summary>
    private static (int Status, string Reason)? ClientFault(HttpRequest request, Exception exception)
    {
        // Readers wrap it: antiforgery's "unable to read the posted form" holds the framework's exception inside.
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is BadHttpRequestException bad)
            {
                return (bad.StatusCode, bad.Message);
            }

            // Kestrel reports a chunk size past Int32 as an IOException over an OverflowException, not a bad request.
            if (inner is IOException { InnerException: OverflowException })
            {
                return (StatusCodes.Status400BadRequest, inner.Message);
            }
        }

        // Antiforgery throws it when the posted form cannot be read at all (a NUL in a url-encoded value, no boundary).
        if (exception is AntiforgeryValidationException)
        {
            return (StatusCodes.Status400BadRequest, exception.InnerException?.Message ?? exception.Message);
        }

        // .NET refuses to decode UTF-7 (SYSLIB0001) and throws when a form names it as its charset.
        return exception is NotSupportedException && MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            && type.Charset.Equals("utf-7", StringComparison.OrdinalIgnoreCase)
            ? (StatusCodes.Status415UnsupportedMediaType, "UTF-7 is not a supported charset.")
            : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused a malformed request ({Status}) to {Method} {Path}: {Reason}")]
    private static partial void LogBadRequest(ILogger logger, int status, string method, string path, string reason);
}
