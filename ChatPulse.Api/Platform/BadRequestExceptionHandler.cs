using Microsoft.AspNetCore.Diagnostics;

namespace ChatPulse.Api.Platform;

/// <summary>
/// The framework's "the request itself is broken" exception (Kestrel's malformed chunked body, a body shorter than its
/// <c>Content-Length</c>, a body over the size limit, a body that stopped arriving) answers with the status it carries
/// — 400, 408 or 413 — as problem details, and is logged once at Information, without a stack trace: a client's
/// mistake, not ours. Wherever the app reads a body (the dashboard's form, the auth endpoints) this is where it ends up.
/// </summary>
internal sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems, ILogger<BadRequestExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        LogBadRequest(logger, bad.StatusCode, httpContext.Request.Method, LogText.Sanitize(httpContext.Request.Path.Value), LogText.Sanitize(bad.Message));
        httpContext.Response.StatusCode = bad.StatusCode;
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = bad.StatusCode, Detail = "The request could not be read." },
            Exception = exception,
        });
        return true; // the framework writes a plain response itself when no problem-details writer accepts this one
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused a malformed request ({Status}) to {Method} {Path}: {Reason}")]
    private static partial void LogBadRequest(ILogger logger, int status, string method, string path, string reason);
}
